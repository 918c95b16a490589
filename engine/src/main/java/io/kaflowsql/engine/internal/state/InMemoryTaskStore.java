package io.kaflowsql.engine.internal.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A {@link TaskStore} on heap maps, for tests and as the benchmark baseline. Same semantics as
 * {@link RocksTaskStore} except that nothing survives {@link #close()}. Not thread-safe.
 */
public final class InMemoryTaskStore
        implements TaskStore
{
    private final Map<LookupKey, StoredRow> events = new HashMap<>();
    private final TreeMap<Long, Held> pending = new TreeMap<>();
    private final Map<LookupKey, NavigableSet<Long>> pendingIndex = new HashMap<>();
    /** Expiry index; like the RocksDB one it may hold stale entries that {@link #expire} skips. */
    private final TreeSet<ExpiryEntry> expiry = new TreeSet<>();
    private final Map<String, byte[]> meta = new HashMap<>();
    private long nextPendingId = 1;
    private boolean closed;

    private record Held(StoredRow row, List<LookupKey> index) {}

    /** kind 0 = event (source, key), kind 1 = pending (id). */
    private record ExpiryEntry(long expiresAt, int kind, int source, String key, long id)
            implements Comparable<ExpiryEntry>
    {
        @Override
        public int compareTo(ExpiryEntry other)
        {
            int c = Long.compare(expiresAt, other.expiresAt);
            if (c == 0) {
                c = Integer.compare(kind, other.kind);
            }
            if (c == 0) {
                c = Integer.compare(source, other.source);
            }
            if (c == 0) {
                c = key.compareTo(other.key);
            }
            return c != 0 ? c : Long.compare(id, other.id);
        }
    }

    @Override
    public StoredRow getEvent(int source, String key)
    {
        checkOpen();
        return events.get(new LookupKey(source, key));
    }

    @Override
    public void putEvent(int source, String key, StoredRow row)
    {
        checkOpen();
        requireNonNull(row, "row is null");
        events.put(new LookupKey(source, key), row);
        expiry.add(new ExpiryEntry(row.expiresAt(), 0, source, key, 0));
    }

    @Override
    public void deleteEvent(int source, String key)
    {
        checkOpen();
        events.remove(new LookupKey(source, key));
    }

    @Override
    public long holdPending(StoredRow drivingRow, List<LookupKey> index)
    {
        checkOpen();
        requireNonNull(drivingRow, "drivingRow is null");
        long id = nextPendingId++;
        List<LookupKey> keys = distinct(index);
        pending.put(id, new Held(drivingRow, keys));
        addIndex(id, keys);
        expiry.add(new ExpiryEntry(drivingRow.expiresAt(), 1, 0, "", id));
        return id;
    }

    @Override
    public List<PendingRecord> pendingFor(int source, String key)
    {
        checkOpen();
        NavigableSet<Long> ids = pendingIndex.get(new LookupKey(source, key));
        if (ids == null) {
            return List.of();
        }
        List<PendingRecord> records = new ArrayList<>(ids.size());
        for (long id : ids) {
            records.add(new PendingRecord(id, pending.get(id).row()));
        }
        return records;
    }

    @Override
    public List<HeldRecord> heldFrom(long fromId, int limit)
    {
        checkOpen();
        List<HeldRecord> records = new ArrayList<>(Math.min(limit, pending.size()));
        for (Map.Entry<Long, Held> entry : pending.tailMap(fromId, true).entrySet()) {
            if (records.size() >= limit) {
                break;
            }
            records.add(new HeldRecord(new PendingRecord(entry.getKey(), entry.getValue().row()), entry.getValue().index()));
        }
        return records;
    }

    @Override
    public void restorePending(long id, StoredRow drivingRow, List<LookupKey> index)
    {
        checkOpen();
        requireNonNull(drivingRow, "drivingRow is null");
        removePending(id);
        List<LookupKey> keys = distinct(index);
        pending.put(id, new Held(drivingRow, keys));
        addIndex(id, keys);
        expiry.add(new ExpiryEntry(drivingRow.expiresAt(), 1, 0, "", id));
        nextPendingId = Math.max(nextPendingId, id + 1);
    }

    @Override
    public StoredRow reindexPending(long id, List<LookupKey> index)
    {
        checkOpen();
        Held held = pending.get(id);
        if (held == null) {
            return null;
        }
        removeIndex(id, held.index());
        List<LookupKey> keys = distinct(index);
        pending.put(id, new Held(held.row(), keys));
        addIndex(id, keys);
        return held.row();
    }

    @Override
    public void removePending(long id)
    {
        checkOpen();
        Held held = pending.remove(id);
        if (held != null) {
            removeIndex(id, held.index());
        }
    }

    @Override
    public long expire(long streamTime, ExpiryListener listener)
    {
        checkOpen();
        requireNonNull(listener, "listener is null");
        long removed = 0;
        List<PendingRecord> expired = new ArrayList<>();
        while (!expiry.isEmpty() && expiry.first().expiresAt() <= streamTime) {
            ExpiryEntry entry = expiry.pollFirst();
            if (entry.kind() == 0) {
                LookupKey lookupKey = new LookupKey(entry.source(), entry.key());
                StoredRow row = events.get(lookupKey);
                if (row != null && row.expiresAt() == entry.expiresAt()) {
                    events.remove(lookupKey);
                    listener.eventExpired(entry.source(), entry.key());
                    removed++;
                }
            }
            else {
                Held held = pending.remove(entry.id());
                if (held != null) {
                    removeIndex(entry.id(), held.index());
                    expired.add(new PendingRecord(entry.id(), held.row()));
                    removed++;
                }
            }
        }
        expired.forEach(listener::pendingExpired);
        return removed;
    }

    @Override
    public void putMeta(String key, byte[] value)
    {
        checkOpen();
        meta.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null").clone());
    }

    @Override
    public byte[] getMeta(String key)
    {
        checkOpen();
        byte[] value = meta.get(key);
        return value == null ? null : value.clone();
    }

    @Override
    public StoreStats stats()
    {
        checkOpen();
        Map<Integer, Long> perSource = new TreeMap<>();
        for (LookupKey key : events.keySet()) {
            perSource.merge(key.source(), 1L, Long::sum);
        }
        return new StoreStats(perSource, pending.size(), 0);
    }

    @Override
    public void flush()
    {
        checkOpen();
    }

    @Override
    public void close()
    {
        closed = true;
    }

    private void addIndex(long id, List<LookupKey> keys)
    {
        for (LookupKey key : keys) {
            pendingIndex.computeIfAbsent(key, ignored -> new TreeSet<>()).add(id);
        }
    }

    private void removeIndex(long id, List<LookupKey> keys)
    {
        for (LookupKey key : keys) {
            NavigableSet<Long> ids = pendingIndex.get(key);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                pendingIndex.remove(key);
            }
        }
    }

    /**
     * {@code index} without repeated keys, in first-seen order. A held record waits for one to three keys, so pairs are
     * compared directly: hashing them into a set was 2% of the stream thread's time under load.
     */
    static List<LookupKey> distinct(List<LookupKey> index)
    {
        requireNonNull(index, "index is null");
        for (int i = 1; i < index.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (index.get(i).equals(index.get(j))) {
                    return List.copyOf(new LinkedHashSet<>(index));
                }
            }
        }
        return List.copyOf(index);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }
}
