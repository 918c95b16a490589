package io.kaflowsql.engine.internal.state;

/**
 * Latest row per join value of one dimension topic (a global table: a full copy on every node).
 *
 * <p>Thread safety: one writer thread (the dimension consumer) calls {@link #upsert}, {@link #delete}
 * and {@link #close}; any number of reader threads (tasks) call {@link #get}, {@link #size} and
 * {@link #approximateBytes} concurrently. A reader sees either the state before or after a
 * concurrent write, never a torn row. Returned rows are fresh or immutable-by-contract: callers
 * must not mutate them.
 *
 * <p>When several record keys carry the same join value, the latest upsert wins; deleting a record
 * key removes its join value's row only while that record key still owns it.
 */
public interface DimensionTable
        extends AutoCloseable
{
    /** Latest row whose join column equals {@code joinValue}, or null. */
    Object[] get(String joinValue);

    /**
     * Upserts a row. {@code recordKey == null} means the row is keyed by its join value. If the
     * record key's previous row had another join value, that mapping is removed. A null join value
     * removes the record key's previous row (the row can no longer be looked up).
     */
    void upsert(String recordKey, String joinValue, Object[] row);

    /** Applies a Kafka tombstone for {@code recordKey}. */
    void delete(String recordKey);

    /** Number of join values with a row. */
    long size();

    /** Approximate bytes of memory used by the table. */
    long approximateBytes();

    @Override
    void close();
}
