package io.kaflowsql.engine.internal.state;

import java.util.List;
import java.util.function.Consumer;

/**
 * Keyed state of one task (pipeline, partition): the event tables, the pending buffer of smart
 * emission, their expiry by stream time, and small metadata.
 *
 * <p>Lifecycle: opened by the task when it starts (implementations have a static factory), used only
 * by the task's thread, {@link #flush() flushed} before the task commits input offsets, and
 * {@link #close() closed} when the task stops. Not thread-safe: confined to the task's thread.
 *
 * <p>Rows handed out ({@link StoredRow#values()}) may be shared with the store's read cache: callers
 * must not mutate them.
 */
public interface TaskStore
        extends AutoCloseable
{
    /** Latest row of {@code key} in event table {@code source}, or null if absent. */
    StoredRow getEvent(int source, String key);

    /** Upserts the row of {@code key}: the latest by arrival wins, not the latest by event time. */
    void putEvent(int source, String key, StoredRow row);

    /** Deletes the row of {@code key} (a Kafka tombstone); no-op when absent. */
    void deleteEvent(int source, String key);

    /**
     * Holds a driving record until a lookup completes it, indexed under every key of {@code index}.
     *
     * @return a new id, greater than every id this store ever returned (also across restarts)
     */
    long holdPending(StoredRow drivingRow, List<LookupKey> index);

    /** Held records indexed under (source, key), in id order; empty when none. */
    List<PendingRecord> pendingFor(int source, String key);

    /**
     * Held records with an id of at least {@code fromId}, in id order, at most {@code limit} of them: pages through the
     * whole pending buffer (ask again from the last id + 1).
     */
    List<HeldRecord> heldFrom(long fromId, int limit);

    /**
     * Holds a driving record under a given id: used when state is rebuilt from its changelog. Replaces a
     * record held under the same id; later {@link #holdPending} ids are greater than {@code id}.
     */
    void restorePending(long id, StoredRow drivingRow, List<LookupKey> index);

    /**
     * Replaces the index entries of a held record.
     *
     * @return the held row, or null (and no change) when the id is not held (anymore)
     */
    StoredRow reindexPending(long id, List<LookupKey> index);

    /** Removes a held record and its index entries; no-op when the id is not held (anymore). */
    void removePending(long id);

    /**
     * Deletes every event row and pending record with {@code expiresAt <= streamTime}. Expired pending
     * records are passed to {@code expiredPending} exactly once, in expiry order (the caller decides
     * between dropping them and emitting them partial).
     *
     * @return number of event rows and pending records removed
     */
    default long expire(long streamTime, Consumer<PendingRecord> expiredPending)
    {
        return expire(streamTime, ExpiryListener.ofPending(expiredPending));
    }

    /**
     * Like {@link #expire(long, Consumer)}, also telling {@code listener} each event row removed (so a
     * changelog can record the deletion).
     */
    long expire(long streamTime, ExpiryListener listener);

    /** What {@link #expire} removed, in expiry order. */
    interface ExpiryListener
    {
        void eventExpired(int source, String key);

        void pendingExpired(PendingRecord record);

        static ExpiryListener ofPending(Consumer<PendingRecord> expiredPending)
        {
            java.util.Objects.requireNonNull(expiredPending, "expiredPending is null");
            return new ExpiryListener()
            {
                @Override
                public void eventExpired(int source, String key) {}

                @Override
                public void pendingExpired(PendingRecord record)
                {
                    expiredPending.accept(record);
                }
            };
        }
    }

    /** Stores a small metadata value (stream time, offsets). */
    void putMeta(String key, byte[] value);

    /** A metadata value, or null if absent. */
    byte[] getMeta(String key);

    /** Approximate sizes (see {@link StoreStats}). */
    StoreStats stats();

    /** Makes every preceding write durable; called before input offsets are committed. */
    void flush();

    /** Releases all resources; idempotent. */
    @Override
    void close();
}
