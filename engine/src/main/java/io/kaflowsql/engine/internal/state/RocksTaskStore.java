package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A {@link TaskStore} in one RocksDB instance per task (see {@link StateKeys} and {@link StateValues}
 * for the layouts). Writes go through the WAL ({@link #flush()} hands it to the OS), unless the options skip it for a
 * store that is rebuilt after every restart ({@link RocksTaskStoreOptions#REBUILT_ON_RESTART}). Either way state
 * survives {@link #close()} and {@link #open reopening} the same directory, and {@link #checkpoint} copies every write.
 *
 * <p>Expiry: every put/hold also writes an expiry-index entry ordered by expiresAt. An upsert does not
 * remove the old entry (that would cost a read per write); {@link #expire} instead deletes a primary
 * only when its current expiresAt still equals the entry's, and drops the index range it scanned with
 * one range tombstone, so the index stays bounded by the TTL.
 *
 * <p>Counts: pending records are counted exactly; event rows per source approximately (an upsert
 * counts as new when neither the read cache nor the bloom filters know the key), persisted on flush.
 *
 * <p>Not thread-safe: confined to the task's thread.
 */
public final class RocksTaskStore
        implements TaskStore
{
    private static final byte[] NEXT_PENDING_ID = "next-pending-id".getBytes(UTF_8);
    private static final byte[] PENDING_COUNT = "pending-count".getBytes(UTF_8);
    private static final byte[] EVENT_COUNTS = "event-counts".getBytes(UTF_8);
    private static final int EXPIRY_ROUND = 10_000;
    private static final int RESTORE_BATCH = 10_000;

    private final Path dir;
    private final RocksResources rocks;
    private final EventRowCache cache;
    private final long[] eventCounts = new long[256];
    private long nextPendingId;
    private long pendingCount;
    private int restoredInBatch;
    private boolean closed;

    private RocksTaskStore(Path dir, RocksResources rocks, RocksTaskStoreOptions options)
            throws RocksDBException
    {
        this.dir = dir;
        this.rocks = rocks;
        this.cache = new EventRowCache(options.readCacheEntries());
        this.nextPendingId = readCounter(NEXT_PENDING_ID, 1);
        this.pendingCount = readCounter(PENDING_COUNT, 0);
        byte[] counts = rocks.db.get(rocks.internal, EVENT_COUNTS);
        if (counts != null) {
            for (int source = 0; source < eventCounts.length; source++) {
                eventCounts[source] = RowCodec.readLong(counts, source * 8);
            }
        }
    }

    /** Opens (creating if missing) the store in {@code dir}. */
    public static RocksTaskStore open(Path dir, RocksTaskStoreOptions options)
    {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        RocksResources rocks = null;
        try {
            Files.createDirectories(dir);
            rocks = new RocksResources(dir, options);
            return new RocksTaskStore(dir, rocks, options);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + dir, e);
        }
        catch (RocksDBException | RuntimeException e) {
            if (rocks != null) {
                rocks.close();
            }
            throw new StateStoreException("cannot open task state in " + dir, e);
        }
    }

    @Override
    public StoredRow getEvent(int source, String key)
    {
        checkOpen();
        LookupKey lookupKey = new LookupKey(source, key);
        StoredRow cached = cache.get(lookupKey);
        if (cached != null) {
            return cached == EventRowCache.ABSENT ? null : cached;
        }
        try {
            byte[] value = rocks.db.get(rocks.events, StateKeys.eventKey(source, key));
            StoredRow row = value == null ? null : StateValues.decodeEvent(value);
            cache.put(lookupKey, row == null ? EventRowCache.ABSENT : row);
            return row;
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot read event row of source " + source, e);
        }
    }

    @Override
    public void putEvent(int source, String key, StoredRow row)
    {
        checkOpen();
        requireNonNull(row, "row is null");
        LookupKey lookupKey = new LookupKey(source, key);
        byte[] eventKey = StateKeys.eventKey(source, key);
        try {
            if (!knownPresent(lookupKey, eventKey)) {
                eventCounts[source]++;
            }
            rocks.batch.put(rocks.events, eventKey, StateValues.encodeEvent(row));
            rocks.batch.put(rocks.expiry, StateKeys.eventExpiryKey(row.expiresAt(), eventKey), new byte[0]);
            rocks.writeBatch();
            cache.put(lookupKey, row);
        }
        catch (RocksDBException e) {
            cache.invalidate(lookupKey);
            throw new StateStoreException("cannot write event row of source " + source, e);
        }
    }

    /**
     * Restore fast path: an event row as the changelog carries it (the encoded value, not decoded again),
     * collected in a batch that {@link #writeRestored} writes without the WAL: a store being restored is
     * never reopened as it is (a restart restores again, from a checkpoint, which flushes memtables).
     * Row counts stay estimates: a key restored twice counts twice.
     */
    void restoreEvent(byte[] eventKey, byte[] encodedValue)
            throws RocksDBException
    {
        checkOpen();
        if (encodedValue == null) {
            rocks.batch.delete(rocks.events, eventKey);
        }
        else {
            eventCounts[StateKeys.eventSource(eventKey)]++;
            rocks.batch.put(rocks.events, eventKey, encodedValue);
            rocks.batch.put(rocks.expiry, StateKeys.eventExpiryKey(StateValues.expiresAt(encodedValue), eventKey), new byte[0]);
        }
        restoredInBatch++;
        if (restoredInBatch >= RESTORE_BATCH) {
            writeRestored();
        }
    }

    /** Writes the pending restore batch (also done before any other write, which keeps changelog order). */
    void writeRestored()
            throws RocksDBException
    {
        if (restoredInBatch > 0) {
            restoredInBatch = 0;
            cache.clear();
            try {
                rocks.db.write(rocks.unloggedWriteOptions, rocks.batch);
            }
            finally {
                rocks.batch.clear();
            }
        }
    }

    @Override
    public void deleteEvent(int source, String key)
    {
        checkOpen();
        LookupKey lookupKey = new LookupKey(source, key);
        byte[] eventKey = StateKeys.eventKey(source, key);
        try {
            if (knownPresent(lookupKey, eventKey) && eventCounts[source] > 0) {
                eventCounts[source]--;
            }
            rocks.db.delete(rocks.events, rocks.writeOptions, eventKey);
            cache.put(lookupKey, EventRowCache.ABSENT);
        }
        catch (RocksDBException e) {
            cache.invalidate(lookupKey);
            throw new StateStoreException("cannot delete event row of source " + source, e);
        }
    }

    /** Whether the key (probably) has a row: exact from the cache, else the bloom filters' answer. */
    private boolean knownPresent(LookupKey lookupKey, byte[] eventKey)
    {
        StoredRow cached = cache.get(lookupKey);
        if (cached != null) {
            return cached != EventRowCache.ABSENT;
        }
        return rocks.db.keyMayExist(rocks.events, eventKey, null);
    }

    @Override
    public long holdPending(StoredRow drivingRow, List<LookupKey> index)
    {
        checkOpen();
        requireNonNull(drivingRow, "drivingRow is null");
        List<LookupKey> keys = InMemoryTaskStore.distinct(index);
        long id = nextPendingId;
        try {
            rocks.batch.put(rocks.pending, StateKeys.pendingKey(id), StateValues.encodePending(drivingRow, keys));
            for (LookupKey key : keys) {
                rocks.batch.put(rocks.pendingIndex, StateKeys.pendingIndexKey(key, id), new byte[0]);
            }
            rocks.batch.put(rocks.expiry, StateKeys.pendingExpiryKey(drivingRow.expiresAt(), id), new byte[0]);
            rocks.batch.put(rocks.internal, NEXT_PENDING_ID, StateKeys.longValue(id + 1));
            rocks.batch.put(rocks.internal, PENDING_COUNT, StateKeys.longValue(pendingCount + 1));
            rocks.writeBatch();
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot hold pending record", e);
        }
        nextPendingId = id + 1;
        pendingCount++;
        return id;
    }

    @Override
    public List<PendingRecord> pendingFor(int source, String key)
    {
        checkOpen();
        if (pendingCount == 0) {
            return List.of();
        }
        byte[] prefix = StateKeys.pendingIndexPrefix(source, key);
        List<byte[]> pendingKeys = new ArrayList<>();
        try (RocksIterator iterator = rocks.db.newIterator(rocks.pendingIndex, rocks.readOptions)) {
            for (iterator.seek(prefix); iterator.isValid(); iterator.next()) {
                byte[] indexKey = iterator.key();
                if (indexKey.length != prefix.length + 8 || !StateKeys.startsWith(indexKey, prefix)) {
                    break;
                }
                pendingKeys.add(StateKeys.pendingKey(StateKeys.pendingIndexId(indexKey)));
            }
        }
        if (pendingKeys.isEmpty()) {
            return List.of();
        }
        try {
            List<byte[]> values = rocks.db.multiGetAsList(rocks.readOptions, Collections.nCopies(pendingKeys.size(), rocks.pending), pendingKeys);
            List<PendingRecord> records = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) != null) {
                    long id = StateKeys.readLongValue(pendingKeys.get(i));
                    records.add(new PendingRecord(id, StateValues.decodePending(values.get(i)).row()));
                }
            }
            return records;
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot read pending records", e);
        }
    }

    @Override
    public List<HeldRecord> heldFrom(long fromId, int limit)
    {
        checkOpen();
        if (pendingCount == 0) {
            return List.of();
        }
        List<HeldRecord> records = new ArrayList<>();
        try (RocksIterator iterator = rocks.db.newIterator(rocks.pending, rocks.readOptions)) {
            for (iterator.seek(StateKeys.pendingKey(fromId)); iterator.isValid() && records.size() < limit; iterator.next()) {
                StateValues.Pending held = StateValues.decodePending(iterator.value());
                records.add(new HeldRecord(new PendingRecord(StateKeys.readLongValue(iterator.key()), held.row()), held.index()));
            }
        }
        return records;
    }

    @Override
    public void restorePending(long id, StoredRow drivingRow, List<LookupKey> index)
    {
        checkOpen();
        requireNonNull(drivingRow, "drivingRow is null");
        List<LookupKey> keys = InMemoryTaskStore.distinct(index);
        try {
            StateValues.Pending replaced = readPending(id);
            if (replaced != null) {
                deletePendingInBatch(id, replaced);
                pendingCount--;
            }
            long next = Math.max(nextPendingId, id + 1);
            rocks.batch.put(rocks.pending, StateKeys.pendingKey(id), StateValues.encodePending(drivingRow, keys));
            for (LookupKey key : keys) {
                rocks.batch.put(rocks.pendingIndex, StateKeys.pendingIndexKey(key, id), new byte[0]);
            }
            rocks.batch.put(rocks.expiry, StateKeys.pendingExpiryKey(drivingRow.expiresAt(), id), new byte[0]);
            rocks.batch.put(rocks.internal, NEXT_PENDING_ID, StateKeys.longValue(next));
            rocks.batch.put(rocks.internal, PENDING_COUNT, StateKeys.longValue(pendingCount + 1));
            rocks.writeBatch();
            nextPendingId = next;
            pendingCount++;
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot restore pending record " + id, e);
        }
    }

    @Override
    public StoredRow reindexPending(long id, List<LookupKey> index)
    {
        checkOpen();
        List<LookupKey> keys = InMemoryTaskStore.distinct(index);
        try {
            StateValues.Pending held = readPending(id);
            if (held == null) {
                return null;
            }
            for (LookupKey key : held.index()) {
                rocks.batch.delete(rocks.pendingIndex, StateKeys.pendingIndexKey(key, id));
            }
            for (LookupKey key : keys) {
                rocks.batch.put(rocks.pendingIndex, StateKeys.pendingIndexKey(key, id), new byte[0]);
            }
            rocks.batch.put(rocks.pending, StateKeys.pendingKey(id), StateValues.encodePending(held.row(), keys));
            rocks.writeBatch();
            return held.row();
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot reindex pending record " + id, e);
        }
    }

    @Override
    public void removePending(long id)
    {
        checkOpen();
        try {
            StateValues.Pending held = readPending(id);
            if (held != null) {
                deletePendingInBatch(id, held);
                rocks.writeBatch();
                pendingCount--;
            }
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot remove pending record " + id, e);
        }
    }

    private StateValues.Pending readPending(long id)
            throws RocksDBException
    {
        byte[] value = rocks.db.get(rocks.pending, StateKeys.pendingKey(id));
        return value == null ? null : StateValues.decodePending(value);
    }

    /** Adds the deletes of a held record to the batch; the expiry entry is left to {@link #expire}. */
    private void deletePendingInBatch(long id, StateValues.Pending held)
            throws RocksDBException
    {
        rocks.batch.delete(rocks.pending, StateKeys.pendingKey(id));
        for (LookupKey key : held.index()) {
            rocks.batch.delete(rocks.pendingIndex, StateKeys.pendingIndexKey(key, id));
        }
        rocks.batch.put(rocks.internal, PENDING_COUNT, StateKeys.longValue(pendingCount - 1));
    }

    @Override
    public long expire(long streamTime, ExpiryListener listener)
    {
        checkOpen();
        requireNonNull(listener, "listener is null");
        try {
            long removed = 0;
            while (true) {
                List<PendingRecord> expired = new ArrayList<>();
                ExpiryRound round = expireRound(streamTime, expired, listener);
                removed += round.removed();
                expired.forEach(listener::pendingExpired);
                if (round.scanned() < EXPIRY_ROUND) {
                    return removed;
                }
            }
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot expire state at stream time " + streamTime, e);
        }
    }

    private record ExpiryRound(int scanned, long removed) {}

    /**
     * Scans up to {@link #EXPIRY_ROUND} expiry entries with time {@code <= streamTime}, deletes their
     * primaries if still current, range-deletes the scanned entries, and writes it all in one batch.
     */
    private ExpiryRound expireRound(long streamTime, List<PendingRecord> expired, ExpiryListener listener)
            throws RocksDBException
    {
        int scanned = 0;
        long removed = 0;
        byte[] lastKey = null;
        try (RocksIterator iterator = rocks.db.newIterator(rocks.expiry, rocks.readOptions)) {
            for (iterator.seekToFirst(); iterator.isValid() && scanned < EXPIRY_ROUND; iterator.next()) {
                byte[] expiryKey = iterator.key();
                long expiresAt = StateKeys.expiryTime(expiryKey);
                if (expiresAt > streamTime) {
                    break;
                }
                scanned++;
                lastKey = expiryKey;
                if (StateKeys.expiryKind(expiryKey) == StateKeys.EXPIRY_EVENT) {
                    removed += expireEvent(StateKeys.expiryEventKey(expiryKey), expiresAt, listener);
                }
                else {
                    long id = StateKeys.expiryPendingId(expiryKey);
                    StateValues.Pending held = readPending(id);
                    if (held != null && held.row().expiresAt() == expiresAt) {
                        deletePendingInBatch(id, held);
                        pendingCount--;
                        expired.add(new PendingRecord(id, held.row()));
                        removed++;
                    }
                }
            }
        }
        if (lastKey != null) {
            // one range tombstone instead of a point delete per entry keeps later scans cheap
            rocks.batch.deleteRange(rocks.expiry, new byte[0], StateKeys.successor(lastKey));
            rocks.writeBatch();
        }
        return new ExpiryRound(scanned, removed);
    }

    private int expireEvent(byte[] eventKey, long expiresAt, ExpiryListener listener)
            throws RocksDBException
    {
        byte[] value = rocks.db.get(rocks.events, eventKey);
        if (value == null || StateValues.expiresAt(value) != expiresAt) {
            return 0; // deleted, or moved by a later upsert
        }
        int source = StateKeys.eventSource(eventKey);
        rocks.batch.delete(rocks.events, eventKey);
        if (eventCounts[source] > 0) {
            eventCounts[source]--;
        }
        String key = StateKeys.eventKeyString(eventKey);
        cache.put(new LookupKey(source, key), EventRowCache.ABSENT);
        listener.eventExpired(source, key);
        return 1;
    }

    @Override
    public void putMeta(String key, byte[] value)
    {
        checkOpen();
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        try {
            rocks.db.put(rocks.meta, rocks.writeOptions, key.getBytes(UTF_8), value);
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot write metadata " + key, e);
        }
    }

    @Override
    public byte[] getMeta(String key)
    {
        checkOpen();
        try {
            return rocks.db.get(rocks.meta, key.getBytes(UTF_8));
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot read metadata " + key, e);
        }
    }

    @Override
    public StoreStats stats()
    {
        checkOpen();
        Map<Integer, Long> perSource = new TreeMap<>();
        for (int source = 0; source < eventCounts.length; source++) {
            if (eventCounts[source] > 0) {
                perSource.put(source, eventCounts[source]);
            }
        }
        return new StoreStats(perSource, pendingCount, bytesOnDisk());
    }

    /**
     * Approximate live size, from RocksDB properties (no I/O): SST files plus memtables of every column
     * family in bytes, and RocksDB's key estimate of the event rows and held records. Cheap enough to
     * sample every second; call on the task's thread while the store is open.
     */
    public Sizes sizes()
    {
        checkOpen();
        try {
            long bytes = rocks.db.getAggregatedLongProperty("rocksdb.total-sst-files-size")
                    + rocks.db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
            long keys = rocks.db.getLongProperty(rocks.events, "rocksdb.estimate-num-keys")
                    + rocks.db.getLongProperty(rocks.pending, "rocksdb.estimate-num-keys");
            return new Sizes(bytes, keys, pendingCount);
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot read the size of task state in " + dir, e);
        }
    }

    /**
     * @param bytes SST files and memtables, all column families
     * @param keys RocksDB's estimate of event rows and held records
     * @param pendingRecords held records (exact)
     */
    public record Sizes(long bytes, long keys, long pendingRecords) {}

    private long bytesOnDisk()
    {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(file -> {
                try {
                    return Files.isRegularFile(file) ? Files.size(file) : 0;
                }
                catch (IOException e) {
                    return 0; // a file compaction just deleted
                }
            }).sum();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list state directory " + dir, e);
        }
    }

    @Override
    public void flush()
    {
        checkOpen();
        try {
            persistEventCounts();
            // Hand the WAL to the OS, without fsync: like Kafka's own log, state then survives a process
            // crash, and a machine crash is covered by replaying input (and, with exactly-once, the
            // changelog). An fsync here would stall the task on every commit (tens of ms on VM disks).
            rocks.db.flushWal(false);
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot flush task state in " + dir, e);
        }
    }

    /**
     * Writes a consistent on-disk copy of the store to {@code target} (hard links where possible;
     * {@code target} must not exist and should be on the same filesystem).
     */
    public void checkpoint(Path target)
    {
        checkOpen();
        try (Checkpoint checkpoint = Checkpoint.create(rocks.db)) {
            persistEventCounts();
            checkpoint.createCheckpoint(target.toString());
        }
        catch (RocksDBException e) {
            throw new StateStoreException("cannot checkpoint task state to " + target, e);
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            persistEventCounts();
        }
        catch (RocksDBException e) {
            // counts are approximate anyway; closing the handles matters more
        }
        finally {
            cache.clear();
            rocks.close();
        }
    }

    private void persistEventCounts()
            throws RocksDBException
    {
        byte[] counts = new byte[eventCounts.length * 8];
        for (int source = 0; source < eventCounts.length; source++) {
            RowCodec.writeLong(counts, source * 8, eventCounts[source]);
        }
        rocks.db.put(rocks.internal, rocks.writeOptions, EVENT_COUNTS, counts);
    }

    private long readCounter(byte[] key, long defaultValue)
            throws RocksDBException
    {
        byte[] value = rocks.db.get(rocks.internal, key);
        return value == null ? defaultValue : StateKeys.readLongValue(value);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("task store in " + dir + " is closed");
        }
        if (restoredInBatch > 0) {
            try {
                writeRestored();
            }
            catch (RocksDBException e) {
                throw new StateStoreException("cannot write restored state in " + dir, e);
            }
        }
    }
}
