package io.kaflowsql.engine.internal.state;

import java.io.IOException;

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
 *
 * <p>Snapshots ({@link DimensionSnapshotFile}): {@link #writeEncodedRows}, {@link #loadEncodedRow},
 * {@link #reserve} and {@link #clear} are writer-thread operations. An encoded row has the
 * {@link RecordLayout} form {@code [varint keyLength][key][varint ownerLength+1 | 0][owner][varint rowLength][row]}
 * (the row encoded by {@code RowCodec}), so that every implementation reads what any other wrote and
 * the compact table copies its arena records without decoding them.
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

    /**
     * Passes every live row, encoded, to {@code sink} (writer thread only: nothing changes meanwhile).
     * The bytes passed are only valid during the call.
     *
     * @return the number of rows passed
     */
    long writeEncodedRows(EncodedRowSink sink)
            throws IOException;

    /**
     * Adds one row in encoded form as {@link #writeEncodedRows} produced it, with the owner it had
     * (writer thread only). Replaces a row of the same join value.
     */
    void loadEncodedRow(byte[] bytes, int offset, int length);

    /** Makes room for {@code rows} more rows, so a bulk load does not resize repeatedly. A hint. */
    default void reserve(long rows) {}

    /** Removes every row (writer thread only), e.g. after a snapshot turned out to be corrupt half-way. */
    void clear();

    @Override
    void close();

    /** Receives the encoded rows of a table. */
    @FunctionalInterface
    interface EncodedRowSink
    {
        void accept(byte[] bytes, int offset, int length)
                throws IOException;
    }
}
