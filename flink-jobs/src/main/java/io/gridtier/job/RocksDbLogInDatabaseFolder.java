package io.gridtier.job;

import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

import java.util.Collection;

/**
 * Keeps RocksDB's own LOG file inside each database's folder instead of Flink's log folder.
 *
 * <p>By default Flink relocates the LOG into the TaskManager's log folder under a file name made of the whole
 * database path with its slashes replaced. Flink checks that name's length only for an instance's main path; a
 * rescaling restore opens temporary instances deeper down, whose names passed the file system's 255 bytes in the
 * fault drill, and RocksDB refuses to open ("File name too long"), which fails the restore again and again. {@code state.backend.rocksdb.log.dir: /dev/null} is no cure: RocksDB wants a folder.
 * An empty log folder is RocksDB's own default, the database folder, whose LOG has the short name {@code LOG}.
 * Flink applies an options factory after its own settings, so this one has the last word.
 */
public final class RocksDbLogInDatabaseFolder implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions.setDbLogDir("");
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }
}
