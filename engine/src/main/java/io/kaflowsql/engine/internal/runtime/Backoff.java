package io.kaflowsql.engine.internal.runtime;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Capped exponential backoff of the runtime's retry loops (reopening a task, waiting for Kafka or the schema
 * registry): starts at {@code first}, doubles after every failed attempt, never exceeds {@code max}.
 */
record Backoff(Duration first, Duration max)
{
    Backoff
    {
        requireNonNull(first, "first is null");
        requireNonNull(max, "max is null");
    }

    /** The wait after a failed attempt that waited {@code current}. */
    Duration after(Duration current)
    {
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
