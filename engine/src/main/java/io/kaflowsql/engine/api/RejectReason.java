package io.kaflowsql.engine.api;

import java.util.Locale;

/**
 * Why an input record could not be processed. Each is counted; the record goes to the dead-letter
 * topic with its {@link #label()} in the {@code kaflowsql.error.reason} header.
 *
 * <p>Checks run in a fixed order, so a record with several faults always gets the same reason: size
 * ({@link #RECORD_TOO_LARGE}), tombstone ({@link #DRIVING_TOMBSTONE}), Kafka key ({@link #MISSING_KEY}),
 * decoding ({@link #UNDECODABLE}), then the join column against the key and the expressions.
 *
 * <p>How the usual bad inputs map:
 * <ul>
 *   <li>truncated JSON, a value that is not a JSON object, invalid UTF-8 anywhere in the value:
 *       {@link #UNDECODABLE};</li>
 *   <li>a field of the wrong JSON type, e.g. an object or array where a join column or a compared number
 *       is expected: {@link #EVALUATION_ERROR} (the decoder is schema-less; types are checked where a value
 *       is used, so a wrong-typed field nobody reads is harmless);</li>
 *   <li>a driving record of a keyed pipeline whose partition-key column is NULL while the Kafka key is
 *       present: {@link #PARTITION_KEY_MISMATCH} (the key claims a partition the row does not belong to);
 *       an event-table or dimension row whose join column is NULL: {@link #MISSING_JOIN_KEY}.</li>
 * </ul>
 */
public enum RejectReason
{
    /** The value is bigger than the input record limit; checked before decoding. */
    RECORD_TOO_LARGE,
    /** The value is not a record of the source's format (bad JSON, not an object, bad UTF-8...). */
    UNDECODABLE,
    /** An expression failed on this record (type mismatch, overflow, bad cast, division by zero). */
    EVALUATION_ERROR,
    /**
     * A record of a keyed source (the driving stream of a pipeline with a partition key, or an event
     * table) has no Kafka key, so it cannot be placed on its partition or stored under its key.
     */
    MISSING_KEY,
    /** The Kafka key differs from the join column the topic is partitioned by. */
    PARTITION_KEY_MISMATCH,
    /** A joined record whose join column is NULL or missing: nothing could ever look it up. */
    MISSING_JOIN_KEY,
    /** A tombstone (null value) on the driving stream, which has no rows to delete. */
    DRIVING_TOMBSTONE,
    /** The result could not be encoded in the output format (or its key cannot be a Kafka key). */
    UNENCODABLE_OUTPUT;

    /** The label used in metrics and dead-letter headers, e.g. {@code partition-key-mismatch}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
