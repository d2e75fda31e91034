package io.gridtier.tierservice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.wire.CustomerIds;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.MutableColumnFamilyOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The materialised view on local disk (RocksDB): every customer's current segment, the segment versions over
 * time, the timeline of tier changes and alerts, an index by tier for lists, and the Kafka offsets the data
 * reflects. Data and offsets are written in one atomic batch, so after a crash the view resumes exactly where
 * its data ends. One writer (the ingestor), any number of readers.
 *
 * <p>Column families and keys ({@code id} is the customer id's UTF-8 bytes, which never contain 0x00):
 * <ul>
 *   <li>{@code tiers}: id → tierKey(4) asOf(8) of the current segment: small, so it stays in the block cache and
 *   an update learns what it changes without reading the (large) previous segment</li>
 *   <li>{@code versions}: id 0x00 asOf(8, ascending) → envelope; the current segment is the version at the
 *   asOf in {@code tiers}, and "the segment at time T" the last one at or before T</li>
 *   <li>{@code history}: id 0x00 time(8, descending) kind(1) discriminator → {@link HistoryEntry} JSON</li>
 *   <li>{@code by_tier}: tierKey(4) id → empty; lists by value tier, churn risk, flag, credit rating</li>
 *   <li>{@code default}: {@code offset 0x00 topic 0x00 partition} → next offset(8); {@code customers} → count(8)</li>
 * </ul>
 * The envelope is: format(1) receivedAt(8) producedAt(8) tierKey(4) then the record's Avro binary as received.
 * Each segment is written once (in {@code versions}); the current one is found through {@code tiers}.
 * A segment whose asOf is older than the current one's (a replay) is kept as a version but changes nothing else.
 *
 * <p>Versions and history are pruned to a retention by {@link #prune}, a sweep the ingestor runs between batches.
 */
public final class SegmentStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);
    private static final byte FORMAT = 1;
    private static final int HEADER = 1 + 8 + 8 + TierKey.LENGTH;
    private static final byte KIND_SEGMENT = 'S';
    private static final byte KIND_ALERT = 'A';
    private static final byte[] CUSTOMERS_KEY = "customers".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OFFSET_PREFIX = "offset\0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY = new byte[0];
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final Cache blockCache;
    private final BloomFilter bloom;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle tiers;
    private final ColumnFamilyHandle versions;
    private final ColumnFamilyHandle history;
    private final ColumnFamilyHandle byTier;
    private final WriteOptions walWrites = new WriteOptions();
    private final WriteOptions bulkWrites = new WriteOptions().setDisableWAL(true);
    private final AtomicLong customers;
    private volatile boolean closed;

    private SegmentStore(Path dir, long blockCacheBytes) throws RocksDBException {
        this.dir = dir;
        this.blockCache = new LRUCache(blockCacheBytes);
        this.bloom = new BloomFilter(10);
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(3).setMaxTotalWalSize(256L << 20)
                // a catch-up writes without the write-ahead log (Batch.writeAheadLog): memtables of all column
                // families are then flushed together, so what survives a crash is every family up to the same
                // batch, offsets included, and the view resumes from there
                .setAtomicFlush(true);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : List.of("default", "tiers", "versions", "history", "by_tier")) {
            BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(blockCache)
                    .setFilterPolicy(bloom).setBlockSize(16 * 1024).setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true);
            ColumnFamilyOptions options = new ColumnFamilyOptions().setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setWriteBufferSize(name.equals("versions") ? 128L << 20 : name.equals("default") ? 4L << 20 : 32L << 20)
                    .setMaxWriteBufferNumber(3)
                    .setTargetFileSizeBase(64L << 20)
                    .setLevelCompactionDynamicLevelBytes(true);
            if (name.equals("versions")) {
                // every segment lands here once and is rarely overwritten: universal compaction rewrites it far
                // less often than levelled compaction (less CPU while catching up), for some more space
                options.setCompactionStyle(CompactionStyle.UNIVERSAL);
                // the envelopes (~1.6 KB) go to blob files when flushed and stay there: compactions then move
                // only keys and blob references instead of rewriting every segment, which was most of the
                // background CPU while catching up. Blob garbage (removed customers, pruned versions) is collected
                // by compactions once the view has caught up (collectBlobGarbage): before, there is little, and
                // relocating the live segments of the oldest blob files would slow the catch-up down.
                options.setEnableBlobFiles(true).setMinBlobSize(256).setBlobFileSize(256L << 20)
                        // uncompressed: LZ4 on one 1.6 KB segment at a time saved only ~23% of the space (108 MB
                        // of blob per flush instead of 141 MB) for a fifth of the flush threads' CPU, while the
                        // write() calls took as long. Blob files written compressed before stay readable (each
                        // file records its compression).
                        .setBlobCompressionType(CompressionType.NO_COMPRESSION)
                        .setEnableBlobGarbageCollection(false).setBlobGarbageCollectionAgeCutoff(0.25);
            }
            if (name.equals("tiers")) {
                // every segment update reads its customer's head: a memtable bloom filter answers the misses
                options.setMemtablePrefixBloomSizeRatio(0.05).setMemtableWholeKeyFiltering(true);
            }
            cfOptions.add(options);
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), options));
        }
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        this.meta = handles.get(0);
        this.tiers = handles.get(1);
        this.versions = handles.get(2);
        this.history = handles.get(3);
        this.byTier = handles.get(4);
        byte[] count = db.get(meta, CUSTOMERS_KEY);
        this.customers = new AtomicLong(count == null ? 0 : ByteBuffer.wrap(count).getLong());
    }

    /**
     * Opens (or creates) the store in {@code dir}. A store RocksDB reports as corrupt is moved aside to
     * {@code dir.corrupt-<millis>} and a new, empty one is created: the view then rebuilds from the topics.
     */
    public static SegmentStore open(Path dir, long blockCacheBytes) {
        try {
            Files.createDirectories(dir);
            try {
                return new SegmentStore(dir, blockCacheBytes);
            } catch (RocksDBException e) {
                Status status = e.getStatus();
                if (status == null || status.getCode() != Status.Code.Corruption) {
                    throw e;
                }
                Path aside = dir.resolveSibling(dir.getFileName() + ".corrupt-" + System.currentTimeMillis());
                LOG.error("The store in {} is corrupt ({}); moved it to {} and rebuilding from the topics", dir,
                        e.getMessage(), aside);
                Files.move(dir, aside);
                Files.createDirectories(dir);
                return new SegmentStore(dir, blockCacheBytes);
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot open the store in " + dir + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the store folder " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    // ---------------------------------------------------------------- reads

    /** The customer's current segment. */
    public Optional<StoredSegment> get(String customerId) {
        try {
            byte[] head = db.get(tiers, id(customerId));
            if (head == null) {
                return Optional.empty();
            }
            byte[] value = db.get(versions, concat(prefix(customerId), Arrays.copyOfRange(head, TierKey.LENGTH, TierKey.LENGTH + 8)));
            return value == null ? Optional.empty() : Optional.of(decodeEnvelope(value));
        } catch (RocksDBException e) {
            throw new StoreException("read failed: " + e.getMessage(), e);
        }
    }

    /** The segment in force at {@code at}: the version with the latest asOf at or before it. */
    public Optional<StoredSegment> at(String customerId, Instant at) {
        byte[] prefix = prefix(customerId);
        byte[] target = concat(prefix, ascending(at.toEpochMilli()));
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(versions, ro)) {
            it.seekForPrev(target);
            if (it.isValid() && startsWith(it.key(), prefix)) {
                return Optional.of(decodeEnvelope(it.value()));
            }
            return Optional.empty();
        }
    }

    /** The earliest asOf of the versions this view holds for the customer, if any. */
    public Optional<Instant> earliestVersion(String customerId) {
        byte[] prefix = prefix(customerId);
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(versions, ro)) {
            it.seek(prefix);
            if (it.isValid() && startsWith(it.key(), prefix)) {
                byte[] key = it.key();
                return Optional.of(Instant.ofEpochMilli(readAscending(key, prefix.length)));
            }
            return Optional.empty();
        }
    }

    /**
     * The customer's timeline, newest first. {@code cursor} is the {@link Page#nextCursor()} of the previous
     * page, or null for the first.
     */
    public Page<HistoryEntry> history(String customerId, byte[] cursor, int limit) {
        byte[] prefix = prefix(customerId);
        byte[] upper = Arrays.copyOf(prefix, prefix.length);
        upper[upper.length - 1] = 1;
        List<HistoryEntry> entries = new ArrayList<>(Math.min(limit, 64));
        byte[] lastSuffix = null;
        boolean more = false;
        try (Slice upperSlice = new Slice(upper); ReadOptions ro = new ReadOptions().setIterateUpperBound(upperSlice);
             RocksIterator it = db.newIterator(history, ro)) {
            byte[] start = cursor == null ? prefix : concat(prefix, cursor);
            it.seek(start);
            if (cursor != null && it.isValid() && Arrays.equals(it.key(), start)) {
                it.next();
            }
            for (; it.isValid(); it.next()) {
                if (entries.size() == limit) {
                    more = true;
                    break;
                }
                byte[] key = it.key();
                entries.add(readJson(it.value()));
                lastSuffix = Arrays.copyOfRange(key, prefix.length, key.length);
            }
        }
        return new Page<>(entries, more ? lastSuffix : null);
    }

    /**
     * Customers whose segment matches the filter, by customer id. {@code afterId} is the last id of the
     * previous page, or null.
     */
    public Page<StoredSegment> list(SegmentFilter filter, String afterId, int limit) {
        List<byte[]> prefixes = filter.prefixes();
        List<Slice> slices = new ArrayList<>();
        List<ReadOptions> readOptions = new ArrayList<>();
        List<RocksIterator> iterators = new ArrayList<>();
        try {
            PriorityQueue<Cursor> heads = new PriorityQueue<>();
            for (byte[] p : prefixes) {
                byte[] upper = Arrays.copyOf(p, p.length);
                upper[upper.length - 1]++; // the credit rating byte is an ordinal < 3, so this never overflows
                Slice slice = new Slice(upper);
                slices.add(slice);
                ReadOptions ro = new ReadOptions().setIterateUpperBound(slice);
                readOptions.add(ro);
                RocksIterator it = db.newIterator(byTier, ro);
                iterators.add(it);
                if (afterId == null) {
                    it.seek(p);
                } else {
                    byte[] start = concat(p, afterId.getBytes(StandardCharsets.UTF_8));
                    it.seek(start);
                    if (it.isValid() && Arrays.equals(it.key(), start)) {
                        it.next();
                    }
                }
                if (it.isValid()) {
                    heads.add(new Cursor(it));
                }
            }
            List<byte[]> ids = new ArrayList<>(limit);
            boolean more = false;
            while (!heads.isEmpty()) {
                Cursor head = heads.poll();
                if (ids.size() == limit) {
                    more = true;
                    break;
                }
                ids.add(head.id);
                head.it.next();
                if (head.it.isValid()) {
                    heads.add(new Cursor(head.it));
                }
            }
            List<StoredSegment> items = new ArrayList<>(ids.size());
            for (byte[] id : ids) {
                // removed between the index read and this one: left out
                get(new String(id, StandardCharsets.UTF_8)).ifPresent(items::add);
            }
            byte[] next = more && !ids.isEmpty() ? ids.get(ids.size() - 1) : null;
            return new Page<>(items, next);
        } finally {
            iterators.forEach(RocksIterator::close);
            readOptions.forEach(ReadOptions::close);
            slices.forEach(Slice::close);
        }
    }

    private static final class Cursor implements Comparable<Cursor> {
        final RocksIterator it;
        final byte[] id;

        Cursor(RocksIterator it) {
            this.it = it;
            byte[] key = it.key();
            this.id = Arrays.copyOfRange(key, TierKey.LENGTH, key.length);
        }

        @Override
        public int compareTo(Cursor o) {
            return Arrays.compareUnsigned(id, o.id);
        }
    }

    /** The next offset to read of every partition the data reflects. */
    public Map<TopicPartition, Long> offsets() {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(meta, ro)) {
            for (it.seek(OFFSET_PREFIX); it.isValid() && startsWith(it.key(), OFFSET_PREFIX); it.next()) {
                String rest = new String(it.key(), OFFSET_PREFIX.length, it.key().length - OFFSET_PREFIX.length,
                        StandardCharsets.UTF_8);
                int sep = rest.lastIndexOf('\0');
                out.put(new TopicPartition(rest.substring(0, sep), Integer.parseInt(rest.substring(sep + 1))),
                        ByteBuffer.wrap(it.value()).getLong());
            }
        }
        return out;
    }

    /** How many customers have a current segment. */
    public long customerCount() {
        return customers.get();
    }

    /** Bytes on disk (SST files) plus memtables, over all column families. */
    public long sizeBytes() {
        if (closed) {
            return 0;
        }
        long total = 0;
        for (ColumnFamilyHandle h : handles) {
            try {
                total += db.getLongProperty(h, "rocksdb.total-sst-files-size");
                total += db.getLongProperty(h, "rocksdb.cur-size-all-mem-tables");
            } catch (RocksDBException e) {
                LOG.debug("size property not available: {}", e.getMessage());
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- retention

    /** What one slice of a pruning sweep removed, and the customer id it goes on from (null: the sweep is done). */
    public record PruneResult(int customers, long historyEntries, long versions, byte[] next) {
    }

    /**
     * Prunes up to {@code maxCustomers} customers, in id order from {@code fromId} (null: the first). Each
     * customer keeps what happened in the {@code retention} before its newest event (the asOf of its current
     * segment or the time of its newest timeline entry, whichever is later): timeline entries older than that
     * are deleted, and so are versions, except the one in force at the start of the retention, so that
     * {@code at} still answers for any time inside it. Measured from the customer's own newest event rather than
     * the clock, a replay of old data keeps its history and a customer that has gone quiet keeps its last
     * changes.
     *
     * <p>Call it from the writer thread, between batches: it reads and deletes without racing the ingestion.
     */
    public PruneResult prune(java.time.Duration retention, byte[] fromId, int maxCustomers) {
        long keepMillis = retention.toMillis();
        int customersSeen = 0;
        long historyDeleted = 0;
        long versionsDeleted = 0;
        byte[] next;
        try (ReadOptions ro = new ReadOptions(); RocksIterator t = db.newIterator(tiers, ro);
             RocksIterator h = db.newIterator(history, ro); RocksIterator v = db.newIterator(versions, ro);
             WriteBatch deletes = new WriteBatch()) {
            if (fromId == null) {
                t.seekToFirst();
                h.seekToFirst();
            } else {
                t.seek(fromId);
                h.seek(fromId);
            }
            while (true) {
                byte[] idT = t.isValid() ? t.key() : null;
                byte[] idH = h.isValid() ? idOf(h.key()) : null;
                next = idT == null ? idH : idH == null ? idT : Arrays.compareUnsigned(idT, idH) <= 0 ? idT : idH;
                if (next == null || customersSeen == maxCustomers) {
                    break;
                }
                byte[] id = next;
                byte[] prefix = Arrays.copyOf(id, id.length + 1);
                long newest = Long.MIN_VALUE;
                if (idT != null && Arrays.equals(idT, id)) {
                    newest = readAscending(t.value(), TierKey.LENGTH);
                    t.next();
                }
                if (idH != null && Arrays.equals(idH, id)) {
                    newest = Math.max(newest, readDescending(h.key(), prefix.length)); // newest first
                }
                long cutoff = newest - keepMillis;
                // the timeline is newest first: everything from the first entry before the cutoff on goes
                h.seek(concat(prefix, descending(cutoff - 1)));
                for (; h.isValid() && startsWith(h.key(), prefix); h.next()) {
                    deletes.delete(history, h.key());
                    historyDeleted++;
                }
                // versions are oldest first: all at or before the cutoff go but the last of them
                byte[] inForce = null;
                for (v.seek(prefix); v.isValid() && startsWith(v.key(), prefix)
                        && readAscending(v.key(), prefix.length) <= cutoff; v.next()) {
                    if (inForce != null) {
                        deletes.delete(versions, inForce);
                        versionsDeleted++;
                    }
                    inForce = v.key();
                }
                customersSeen++;
            }
            if (deletes.count() > 0) {
                db.write(walWrites, deletes);
            }
        } catch (RocksDBException e) {
            throw new StoreException("pruning failed: " + e.getMessage(), e);
        }
        return new PruneResult(customersSeen, historyDeleted, versionsDeleted, next);
    }

    /** The customer id a key of {@code versions} or {@code history} starts with (up to its 0x00). */
    private static byte[] idOf(byte[] key) {
        int end = 0;
        while (end < key.length && key[end] != 0) {
            end++;
        }
        return Arrays.copyOf(key, end);
    }

    // ---------------------------------------------------------------- writes

    /** A batch of records and offsets, applied atomically by {@link Batch#commit()}. One writer at a time. */
    public Batch newBatch() {
        return new Batch(walWrites);
    }

    /** A batch for bulk loading: no write-ahead log; call {@link #flush()} when done. */
    public Batch newBulkBatch() {
        return new Batch(bulkWrites);
    }

    /** Lets compactions collect the garbage of the versions' blob files (off when the store opens). */
    public void collectBlobGarbage(boolean on) {
        try {
            db.setOptions(versions, MutableColumnFamilyOptions.builder().setEnableBlobGarbageCollection(on).build());
        } catch (RocksDBException e) {
            throw new StoreException("cannot set blob garbage collection: " + e.getMessage(), e);
        }
    }

    /** Writes every memtable to disk (after a bulk load, and on close). */
    public void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
        } catch (RocksDBException e) {
            throw new StoreException("flush failed: " + e.getMessage(), e);
        }
    }

    /** What one batch did. */
    public record BatchResult(int segments, int alerts, int deletions, int skipped) {
    }

    /**
     * A Kafka record decoded and checked, ready for {@link Batch#apply}: made by {@link #segmentUpdate} and
     * {@link #alertUpdate}, which need no store and so run on the polling thread, off the single writer.
     */
    public sealed interface Update permits SegmentUpdate, Removal, AlertUpdate {
        String customerId();
    }

    /** A segment: what the store files it by, and its envelope (receivedAt is filled in when applied). */
    public record SegmentUpdate(String customerId, TierKey tier, String modelVersion, long asOf, byte[] envelope)
            implements Update {
    }

    /** A tombstone: the customer goes, with its versions and history. */
    public record Removal(String customerId) implements Update {
    }

    /** An alert: its timeline key and entry. */
    public record AlertUpdate(String customerId, byte[] historyKey, byte[] entry) implements Update {
    }

    /**
     * A record of the segments topic as an update, or null when it is unusable (an invalid id, or a key that
     * differs from the customerId); an undecodable value throws {@link AvroCodec.MalformedRecordException}.
     */
    public static Update segmentUpdate(String key, byte[] value, long producedAt) {
        return segmentUpdateInPlace(key, value == null ? null : envelope(0, producedAt, new byte[TierKey.LENGTH], value), producedAt);
    }

    /** Bytes a segment's Avro binary must be preceded by for {@link #segmentUpdateInPlace}. */
    public static final int ENVELOPE_HEADER = HEADER;

    /**
     * As {@link #segmentUpdate}, for a value whose Avro binary starts at {@link #ENVELOPE_HEADER}: the header is
     * filled in and the array becomes the stored envelope, so the segment is not copied once more (the ingestor
     * reads values this way from Kafka).
     */
    public static Update segmentUpdateInPlace(String key, byte[] envelope, long producedAt) {
        if (envelope == null) {
            return CustomerIds.isValid(key) ? new Removal(key) : null;
        }
        AvroCodec.Headline segment = AvroCodec.decodeHeadline(envelope, HEADER, envelope.length - HEADER);
        String customerId = segment.customerId();
        if (!CustomerIds.isValid(customerId) || (key != null && !key.equals(customerId))) {
            return null;
        }
        ByteBuffer.wrap(envelope).put(FORMAT).putLong(0).putLong(producedAt).put(segment.tier().bytes());
        return new SegmentUpdate(customerId, segment.tier(), segment.modelVersion(), segment.asOfMillis(), envelope);
    }

    /** A record of the alerts topic as an update, or null when it is unusable (tombstone, invalid id). */
    public static Update alertUpdate(String key, byte[] value) {
        if (value == null) {
            return null;
        }
        SegmentAlert alert = AvroCodec.decodeAlert(value);
        String customerId = alert.getCustomerId();
        if (!CustomerIds.isValid(customerId) || (key != null && !key.equals(customerId))) {
            return null;
        }
        long time = alert.getEventTime().toEpochMilli();
        return new AlertUpdate(customerId,
                historyKey(customerId, time, KIND_ALERT, alert.getAlertId().getBytes(StandardCharsets.UTF_8)),
                HistoryEntry.alert(time, alert.getAlertId(), alert.getType().name(), alert.getPrevious(),
                        alert.getCurrent(), alert.getRecommendedAction(), alert.getModelVersion()).toJson());
    }

    /**
     * One put (value) or delete (null value) of a batch, held until the batch is written; {@code head} is the
     * key's first 8 bytes as an unsigned number, which decides most comparisons without touching the arrays.
     */
    private record Op(long head, byte[] key, byte[] value) {
        Op(byte[] key, byte[] value) {
            this(head(key), key, value);
        }

        private static long head(byte[] key) {
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = h << 8 | (i < key.length ? key[i] & 0xFF : 0);
            }
            return h;
        }
    }

    /** Indexes of {@link Batch}'s held operations. */
    private static final int TIERS = 0;
    private static final int VERSIONS = 1;
    private static final int HISTORY = 2;
    private static final int BY_TIER = 3;

    private static final java.util.Comparator<Op> BY_KEY = (a, b) -> {
        int c = Long.compareUnsigned(a.head, b.head);
        return c != 0 ? c : Arrays.compareUnsigned(a.key, b.key);
    };

    public final class Batch implements AutoCloseable {
        private WriteOptions writeOptions;
        private final WriteBatch batch = new WriteBatch();
        /**
         * Customers read or touched in this batch: their {@code tiers} value now, or empty when they have none
         * (unknown, or deleted in this batch).
         */
        private final Map<String, byte[]> heads = new HashMap<>();
        /**
         * Puts and deletes per column family ({@code tiers}, {@code versions}, {@code history}, {@code by_tier}),
         * written in key order at {@link #commit()}: a memtable (a skip list) takes keys in order far more cheaply
         * than at random, and the order of the operations on one key is kept (the sort is stable).
         */
        private final List<List<Op>> ops = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        private final List<ColumnFamilyHandle> opFamilies = List.of(tiers, versions, history, byTier);
        private long customerDelta;
        private int segments;
        private int alerts;
        private int deletions;
        private int skipped;

        private Batch(WriteOptions writeOptions) {
            this.writeOptions = writeOptions;
        }

        /**
         * A record of the segments topic. {@code value} null is a tombstone: the customer is removed with its
         * versions and history. Returns false (and writes nothing) when the record is unusable.
         */
        public boolean segment(String key, byte[] value, long producedAt, long receivedAt) throws RocksDBException {
            Update u = segmentUpdate(key, value, producedAt);
            if (u == null) {
                skipped++;
                return false;
            }
            apply(List.of(u), receivedAt);
            return true;
        }

        /** A record of the alerts topic; tombstones and unusable records are skipped (false). */
        public boolean alert(String key, byte[] value) throws RocksDBException {
            Update u = alertUpdate(key, value);
            if (u == null) {
                skipped++;
                return false;
            }
            apply(List.of(u), 0);
            return true;
        }

        /**
         * Files updates in order. The current heads of the customers they touch are read first, in one multi-get,
         * rather than one read per record.
         */
        public void apply(List<Update> updates, long receivedAt) throws RocksDBException {
            prefetchHeads(updates);
            for (Update u : updates) {
                if (u instanceof SegmentUpdate s) {
                    applySegment(s, receivedAt);
                } else if (u instanceof Removal r) {
                    delete(r.customerId());
                } else if (u instanceof AlertUpdate a) {
                    put(HISTORY, a.historyKey(), a.entry());
                    alerts++;
                }
            }
        }

        /**
         * Whether the next commits go through the write-ahead log. Without it a commit costs less (no second copy
         * of every segment written and checksummed), and a crash loses the batches since the last flush, data and
         * offsets alike (the flushes are atomic over all column families), so the view resumes consistently from
         * older offsets. Before switching it back on, {@link #flush()} what was written without it: a later
         * logged batch must never be replayed on top of a lost unlogged one.
         */
        public void writeAheadLog(boolean on) {
            writeOptions = on ? walWrites : bulkWrites;
        }

        /** A record that could not be used (e.g. undecodable): counted, nothing written. */
        public void skip() {
            skipped++;
        }

        /** The next offset to read of a partition, written with the data. */
        public void offset(TopicPartition tp, long nextOffset) throws RocksDBException {
            batch.put(meta, offsetKey(tp), ByteBuffer.allocate(8).putLong(nextOffset).array());
        }

        public BatchResult commit() {
            try {
                emitOps();
                if (customerDelta != 0) {
                    batch.put(meta, CUSTOMERS_KEY, ByteBuffer.allocate(8).putLong(customers.get() + customerDelta).array());
                }
                db.write(writeOptions, batch);
                customers.addAndGet(customerDelta);
                return new BatchResult(segments, alerts, deletions, skipped);
            } catch (RocksDBException e) {
                throw new StoreException("write failed: " + e.getMessage(), e);
            } finally {
                batch.clear();
                heads.clear();
                ops.forEach(List::clear);
                customerDelta = 0;
            }
        }

        @Override
        public void close() {
            batch.close();
        }

        private void applySegment(SegmentUpdate s, long receivedAt) throws RocksDBException {
            String customerId = s.customerId();
            byte[] id = id(customerId);
            byte[] tierBytes = s.tier().bytes();
            byte[] envelope = s.envelope();
            ByteBuffer.wrap(envelope).putLong(1, receivedAt);
            long asOf = s.asOf();
            byte[] previous = previousHead(customerId, id);
            put(VERSIONS, concat(prefix(customerId), ascending(asOf)), envelope);
            if (previous != null && readAscending(previous, TierKey.LENGTH) > asOf) {
                segments++; // an older evaluation arriving late: kept as a version, the current one stays
                return;
            }
            byte[] head = concat(tierBytes, ascending(asOf));
            put(TIERS, id, head);
            byte[] previousTier = previous == null ? null : Arrays.copyOf(previous, TierKey.LENGTH);
            if (previousTier == null) {
                customerDelta++;
                put(BY_TIER, concat(tierBytes, id), EMPTY);
                put(HISTORY, historyKey(customerId, asOf, KIND_SEGMENT, EMPTY),
                        HistoryEntry.segmentChange(true, asOf, s.tier().changesSince(null), s.modelVersion()).toJson());
            } else if (!Arrays.equals(previousTier, tierBytes)) {
                put(BY_TIER, concat(previousTier, id), null);
                put(BY_TIER, concat(tierBytes, id), EMPTY);
                put(HISTORY, historyKey(customerId, asOf, KIND_SEGMENT, EMPTY), HistoryEntry.segmentChange(false, asOf,
                        s.tier().changesSince(TierKey.fromBytes(previousTier, 0)), s.modelVersion()).toJson());
            }
            heads.put(customerId, head);
            segments++;
        }

        private void put(int family, byte[] key, byte[] value) {
            ops.get(family).add(new Op(key, value));
        }

        /** Writes the held operations into the batch, each column family's in key order. */
        private void emitOps() throws RocksDBException {
            for (int f = 0; f < ops.size(); f++) {
                List<Op> list = ops.get(f);
                list.sort(BY_KEY);
                ColumnFamilyHandle h = opFamilies.get(f);
                for (Op op : list) {
                    if (op.value == null) {
                        batch.delete(h, op.key);
                    } else {
                        batch.put(h, op.key, op.value);
                    }
                }
                list.clear();
            }
        }

        /** Reads, in one multi-get, the heads of the customers the updates touch that this batch has not seen. */
        private void prefetchHeads(List<Update> updates) throws RocksDBException {
            List<String> wanted = new ArrayList<>();
            for (Update u : updates) {
                if (!(u instanceof AlertUpdate) && !heads.containsKey(u.customerId())) {
                    heads.put(u.customerId(), null);
                    wanted.add(u.customerId());
                }
            }
            if (wanted.isEmpty()) {
                return;
            }
            List<byte[]> keys = new ArrayList<>(wanted.size());
            wanted.forEach(c -> keys.add(id(c)));
            List<byte[]> values = db.multiGetAsList(java.util.Collections.nCopies(keys.size(), tiers), keys);
            for (int i = 0; i < wanted.size(); i++) {
                byte[] v = values.get(i);
                heads.put(wanted.get(i), v == null ? EMPTY : v);
            }
        }

        /** The customer's {@code tiers} value (tier key, asOf) as of this batch, or null when it has none. */
        private byte[] previousHead(String customerId, byte[] id) throws RocksDBException {
            byte[] p = heads.get(customerId);
            if (p == null) {
                p = db.get(tiers, id);
                heads.put(customerId, p == null ? EMPTY : p);
                return p;
            }
            return p.length == 0 ? null : p;
        }

        private void delete(String customerId) throws RocksDBException {
            byte[] id = id(customerId);
            byte[] previous = previousHead(customerId, id);
            // the range deletes must come after everything held so far and before everything that follows
            emitOps();
            if (previous != null) {
                customerDelta--;
                batch.delete(tiers, id);
                batch.delete(byTier, concat(Arrays.copyOf(previous, TierKey.LENGTH), id));
            }
            byte[] prefix = prefix(customerId);
            byte[] upper = Arrays.copyOf(prefix, prefix.length);
            upper[upper.length - 1] = 1;
            batch.deleteRange(versions, prefix, upper);
            batch.deleteRange(history, prefix, upper);
            heads.put(customerId, EMPTY);
            deletions++;
        }
    }

    private static byte[] historyKey(String customerId, long time, byte kind, byte[] discriminator) {
        byte[] prefix = prefix(customerId);
        byte[] key = new byte[prefix.length + 8 + 1 + discriminator.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(descending(time), 0, key, prefix.length, 8);
        key[prefix.length + 8] = kind;
        System.arraycopy(discriminator, 0, key, prefix.length + 9, discriminator.length);
        return key;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("flush on close failed: {}", e.getMessage());
        }
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        walWrites.close();
        bulkWrites.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        bloom.close();
        blockCache.close();
    }

    // ---------------------------------------------------------------- encoding

    private static byte[] envelope(long receivedAt, long producedAt, byte[] tier, byte[] avro) {
        byte[] out = new byte[HEADER + avro.length];
        ByteBuffer.wrap(out).put(FORMAT).putLong(receivedAt).putLong(producedAt).put(tier);
        System.arraycopy(avro, 0, out, HEADER, avro.length);
        return out;
    }

    private static StoredSegment decodeEnvelope(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        byte format = b.get();
        if (format != FORMAT) {
            throw new StoreException("unknown envelope format " + format, null);
        }
        long receivedAt = b.getLong();
        long producedAt = b.getLong();
        CustomerSegment segment = AvroCodec.decodeSegment(value, HEADER, value.length - HEADER);
        return new StoredSegment(segment, receivedAt, producedAt);
    }

    private static HistoryEntry readJson(byte[] value) {
        try {
            return JSON.readValue(value, HistoryEntry.class);
        } catch (IOException e) {
            throw new StoreException("unreadable history entry: " + e.getMessage(), e);
        }
    }

    private static byte[] id(String customerId) {
        return customerId.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] prefix(String customerId) {
        byte[] id = id(customerId);
        return Arrays.copyOf(id, id.length + 1); // trailing 0x00
    }

    private static byte[] offsetKey(TopicPartition tp) {
        return concat(OFFSET_PREFIX, (tp.topic() + '\0' + tp.partition()).getBytes(StandardCharsets.UTF_8));
    }

    /** Big-endian with the sign bit flipped: byte order is numeric order. */
    static byte[] ascending(long v) {
        return ByteBuffer.allocate(8).putLong(v ^ Long.MIN_VALUE).array();
    }

    static long readAscending(byte[] b, int offset) {
        return ByteBuffer.wrap(b, offset, 8).getLong() ^ Long.MIN_VALUE;
    }

    /** Byte order is reverse numeric order: newest first. */
    static byte[] descending(long v) {
        return ByteBuffer.allocate(8).putLong(~(v ^ Long.MIN_VALUE)).array();
    }

    static long readDescending(byte[] b, int offset) {
        return ~ByteBuffer.wrap(b, offset, 8).getLong() ^ Long.MIN_VALUE;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The store could not be read or written. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
