package io.kaflowsql.engine.internal.runtime;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Whether a task checkpoint may still be restored from, given how long the changelog topic keeps tombstones
 * ({@code delete.retention.ms}).
 *
 * <p>Compaction removes a tombstone once it is older than that. A checkpoint holds a row that a later tombstone
 * deleted (a released or expired held record, an expired event-table row); if that tombstone is gone, replaying
 * the changelog after the checkpoint no longer deletes the row, and it comes back: a held record would be emitted
 * twice. Every tombstone written after a checkpoint is younger than the checkpoint, so a checkpoint younger than
 * the retention is safe, and so is one nothing was written after. Older ones are skipped and the state is rebuilt
 * from the whole changelog, which holds no deleted row. A tenth of the retention is kept as margin for clocks of
 * different nodes and the broker.
 *
 * <p>Thread-safe: the retention is set once the changelog topic is described and read by restoring threads.
 */
final class CheckpointAgeLimit
{
    /** Kafka's default {@code delete.retention.ms} (one day), until the topic's own value is known. */
    static final Duration KAFKA_DEFAULT_DELETE_RETENTION = Duration.ofDays(1);

    private volatile Duration deleteRetention = KAFKA_DEFAULT_DELETE_RETENTION;

    void deleteRetention(Duration value)
    {
        requireNonNull(value, "value is null");
        if (value.isNegative()) {
            throw new IllegalArgumentException("delete retention is negative: " + value);
        }
        deleteRetention = value;
    }

    Duration deleteRetention()
    {
        return deleteRetention;
    }

    /** The oldest a checkpoint may be when records were written after it. */
    Duration maxAge()
    {
        return deleteRetention.minus(deleteRetention.dividedBy(10));
    }

    /**
     * @param changelogOffset the changelog offset the checkpoint reflects
     * @param changelogEnd the changelog's end offset now
     */
    boolean usable(long createdAtMillis, long changelogOffset, long changelogEnd, long nowMillis)
    {
        return changelogOffset >= changelogEnd || nowMillis - createdAtMillis < maxAge().toMillis();
    }
}
