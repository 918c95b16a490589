package io.kaflowsql.pipelines.personalization;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Hands out send permits at a fixed rate. Permits accrue continuously from {@link #start}; a call
 * returns every permit due now (capped at a batch size) or, when none is due, sleeps until the next
 * one and returns 0. It never spins: each sleep is at least {@code minSleep} (1 ms by default), so at
 * high rates permits arrive in batches of about {@code rate * minSleep}, and at most
 * {@code maxSleep} so that the caller re-checks its stop condition regularly.
 *
 * <p>If the caller falls behind by more than {@code maxBacklog} permits (e.g. the producer blocked),
 * the excess is forgiven instead of being sent as a burst. Not thread-safe: one sending thread.
 */
final class RatePacer
{
    private static final double NANOS_PER_SECOND = 1e9;

    private final double eventsPerSecond;
    private final TrafficClock clock;
    private final long minSleepNanos;
    private final long maxSleepNanos;
    private final long maxBacklog;
    private long startNanos;
    private long granted;
    private boolean started;

    RatePacer(double eventsPerSecond, TrafficClock clock)
    {
        this(eventsPerSecond, clock, Duration.ofMillis(1), Duration.ofMillis(100), Math.max(1, (long) eventsPerSecond));
    }

    RatePacer(double eventsPerSecond, TrafficClock clock, Duration minSleep, Duration maxSleep, long maxBacklog)
    {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive and finite, was " + eventsPerSecond);
        }
        if (minSleep.isNegative() || minSleep.compareTo(maxSleep) > 0) {
            throw new IllegalArgumentException("need 0 <= minSleep <= maxSleep, got " + minSleep + " and " + maxSleep);
        }
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog must be positive, was " + maxBacklog);
        }
        this.eventsPerSecond = eventsPerSecond;
        this.clock = requireNonNull(clock, "clock is null");
        this.minSleepNanos = minSleep.toNanos();
        this.maxSleepNanos = maxSleep.toNanos();
        this.maxBacklog = maxBacklog;
    }

    void start()
    {
        startNanos = clock.nanoTime();
        granted = 0;
        started = true;
    }

    /**
     * Permits to use now, at most {@code maxBatch}; 0 after sleeping when none was due.
     */
    int nextBatch(int maxBatch)
            throws InterruptedException
    {
        if (!started) {
            throw new IllegalStateException("start() was not called");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, was " + maxBatch);
        }
        long now = clock.nanoTime();
        long due = dueAt(now) - granted;
        if (due > maxBacklog) {
            // Forgive the deficit: move the start so that exactly maxBacklog permits are due now.
            startNanos = now - (long) Math.ceil((granted + maxBacklog) * NANOS_PER_SECOND / eventsPerSecond);
            due = dueAt(now) - granted;
        }
        if (due > 0) {
            int batch = (int) Math.min(due, maxBatch);
            granted += batch;
            return batch;
        }
        long nextDueNanos = startNanos + (long) Math.ceil((granted + 1) * NANOS_PER_SECOND / eventsPerSecond);
        clock.sleepNanos(Math.min(maxSleepNanos, Math.max(minSleepNanos, nextDueNanos - now)));
        return 0;
    }

    /** Permits handed out since {@link #start}. */
    long granted()
    {
        return granted;
    }

    private long dueAt(long nowNanos)
    {
        return (long) Math.floor((nowNanos - startNanos) * eventsPerSecond / NANOS_PER_SECOND);
    }
}
