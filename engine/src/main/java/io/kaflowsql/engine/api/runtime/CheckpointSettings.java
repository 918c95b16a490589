package io.kaflowsql.engine.api.runtime;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Config {@code checkpoint:}: every {@code interval} (and on clean shutdown) each task writes a RocksDB
 * checkpoint plus the changelog and input offsets it reflects; the newest {@code keep} are kept.
 */
public record CheckpointSettings(Duration interval, int keep)
{
    public static final CheckpointSettings DEFAULTS = new CheckpointSettings(Duration.ofSeconds(30), 2);

    public CheckpointSettings
    {
        requireNonNull(interval, "interval is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive: " + interval);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("at least one checkpoint must be kept: " + keep);
        }
    }
}
