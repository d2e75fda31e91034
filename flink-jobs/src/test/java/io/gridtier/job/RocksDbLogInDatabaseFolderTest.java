package io.gridtier.job;

import io.gridtier.config.JobConfig;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The RocksDB LOG stays in the database folder: with Flink's relocation to a log folder, a database on a deep
 * path (as a restore's temporary instances are) cannot open, since the relocated LOG's name is the whole path.
 */
class RocksDbLogInDatabaseFolderTest {
    private static final Path ROOT = Path.of("target/rocksdb-log-test").toAbsolutePath();

    @BeforeAll
    static void loadRocksDb() throws Exception {
        RocksDB.loadLibrary();
        org.apache.commons.io.FileUtils.deleteDirectory(ROOT.toFile());
    }

    @Test
    void everyGridTierRunConfiguresTheFactory() {
        Path home = io.gridtier.testkit.RepoPaths.root();
        Configuration flink = FlinkSettings.of(JobConfig.load(home.resolve("config/gridtier.yaml"), List.of(), home),
                ROOT.resolve("work"), true);
        EmbeddedRocksDBStateBackend backend = new EmbeddedRocksDBStateBackend()
                .configure(flink, getClass().getClassLoader());
        assertThat(backend.getRocksDBOptions()).isInstanceOf(RocksDbLogInDatabaseFolder.class);
    }

    @Test
    void aDeepDatabaseOpensWithItsLogBesideIt() throws Exception {
        Path logDir = Files.createDirectories(ROOT.resolve("flink-log"));
        Path db = Files.createDirectories(deepPath(ROOT.resolve("deep"), 240));
        // what Flink does by default: the LOG relocated to the log folder, named after the whole database path
        assertThatThrownBy(() -> open(new DBOptions().setCreateIfMissing(true).setDbLogDir(logDir.toString()), db))
                .isInstanceOf(RocksDBException.class).hasMessageContaining("File name too long");

        DBOptions fixed = new RocksDbLogInDatabaseFolder()
                .createDBOptions(new DBOptions().setCreateIfMissing(true).setDbLogDir(logDir.toString()), new ArrayList<>());
        assertThat(fixed.dbLogDir()).isEmpty();
        open(fixed, db);
        assertThat(db.resolve("LOG")).exists();
    }

    private static void open(DBOptions options, Path path) throws RocksDBException {
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (options; RocksDB db = RocksDB.open(options, path.toString(),
                List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY)), handles)) {
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    /** A path of at least {@code length} characters below {@code base}, in folders of 50 characters. */
    private static Path deepPath(Path base, int length) {
        Path p = base;
        while (p.toString().length() < length) {
            p = p.resolve("restore-" + "x".repeat(42));
        }
        return p;
    }
}
