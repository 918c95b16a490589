package io.kaflowsql.engine.api;

import java.util.Locale;

/** Why an input record could not be processed. Each is counted; the record goes to the dead-letter path. */
public enum RejectReason
{
    /** The value is not a record of the source's format (bad JSON, not an object, bad UTF-8...). */
    UNDECODABLE,
    /** An expression failed on this record (type mismatch, overflow, bad cast, division by zero). */
    EVALUATION_ERROR,
    /** The Kafka key differs from the join column the topic is partitioned by. */
    PARTITION_KEY_MISMATCH,
    /** A joined record whose join column is NULL or missing: nothing could ever look it up. */
    MISSING_JOIN_KEY,
    /** A tombstone (null value) on the driving stream, which has no rows to delete. */
    DRIVING_TOMBSTONE,
    /** The result could not be encoded in the output format. */
    UNENCODABLE_OUTPUT;

    /** The label used in metrics and dead-letter headers, e.g. {@code partition-key-mismatch}. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
