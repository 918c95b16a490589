package io.kaflowsql.engine.internal.state;

import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A {@link TaskStore} that tells a {@link ChangeLogger} every change it makes to the store it wraps
 * (see {@link ChangelogRecords} for the records), so the changelog topic stays the durable truth of the
 * task's state and the local store only its materialisation. Expired event rows and held records are
 * logged as deletions, which keeps the compacted changelog bounded by the TTLs.
 *
 * <p>Not thread-safe: confined to the task's thread, like the store it wraps.
 */
public final class ChangelogTaskStore
        implements TaskStore
{
    private final TaskStore store;
    private final ChangeLogger changelog;

    public ChangelogTaskStore(TaskStore store, ChangeLogger changelog)
    {
        this.store = requireNonNull(store, "store is null");
        this.changelog = requireNonNull(changelog, "changelog is null");
    }

    /** The wrapped store, for checkpoints and restore (writes there are not logged). */
    public TaskStore unlogged()
    {
        return store;
    }

    @Override
    public StoredRow getEvent(int source, String key)
    {
        return store.getEvent(source, key);
    }

    @Override
    public void putEvent(int source, String key, StoredRow row)
    {
        store.putEvent(source, key, row);
        changelog.append(ChangelogRecords.eventKey(source, key), StateValues.encodeEvent(row));
    }

    @Override
    public void deleteEvent(int source, String key)
    {
        store.deleteEvent(source, key);
        changelog.append(ChangelogRecords.eventKey(source, key), null);
    }

    @Override
    public long holdPending(StoredRow drivingRow, List<LookupKey> index)
    {
        long id = store.holdPending(drivingRow, index);
        changelog.append(ChangelogRecords.pendingKey(id), StateValues.encodePending(drivingRow, InMemoryTaskStore.distinct(index)));
        return id;
    }

    @Override
    public void restorePending(long id, StoredRow drivingRow, List<LookupKey> index)
    {
        store.restorePending(id, drivingRow, index);
        changelog.append(ChangelogRecords.pendingKey(id), StateValues.encodePending(drivingRow, InMemoryTaskStore.distinct(index)));
    }

    @Override
    public List<PendingRecord> pendingFor(int source, String key)
    {
        return store.pendingFor(source, key);
    }

    @Override
    public List<HeldRecord> heldFrom(long fromId, int limit)
    {
        return store.heldFrom(fromId, limit);
    }

    @Override
    public StoredRow reindexPending(long id, List<LookupKey> index)
    {
        StoredRow held = store.reindexPending(id, index);
        if (held != null) {
            changelog.append(ChangelogRecords.pendingKey(id), StateValues.encodePending(held, InMemoryTaskStore.distinct(index)));
        }
        return held;
    }

    @Override
    public void removePending(long id)
    {
        store.removePending(id);
        changelog.append(ChangelogRecords.pendingKey(id), null);
    }

    @Override
    public long expire(long streamTime, ExpiryListener listener)
    {
        requireNonNull(listener, "listener is null");
        return store.expire(streamTime, new ExpiryListener()
        {
            @Override
            public void eventExpired(int source, String key)
            {
                changelog.append(ChangelogRecords.eventKey(source, key), null);
                listener.eventExpired(source, key);
            }

            @Override
            public void pendingExpired(PendingRecord record)
            {
                changelog.append(ChangelogRecords.pendingKey(record.id()), null);
                listener.pendingExpired(record);
            }
        });
    }

    /** Logs metadata only when it changed: stream time is re-put on every commit. */
    @Override
    public void putMeta(String key, byte[] value)
    {
        if (Arrays.equals(store.getMeta(key), value)) {
            return;
        }
        store.putMeta(key, value);
        changelog.append(ChangelogRecords.metaKey(key), value);
    }

    @Override
    public byte[] getMeta(String key)
    {
        return store.getMeta(key);
    }

    @Override
    public StoreStats stats()
    {
        return store.stats();
    }

    @Override
    public void flush()
    {
        store.flush();
    }

    @Override
    public void close()
    {
        store.close();
    }
}
