package io.kaflowsql.pipelines.personalization;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock for tests: time moves only when someone sleeps (or the test advances it). Records every
 * sleep. Thread-safe.
 */
final class FakeTrafficClock
        implements TrafficClock
{
    private final long epochMillisAtZero;
    private final List<Long> sleeps = new ArrayList<>();
    private long nanos;

    FakeTrafficClock(long epochMillisAtZero)
    {
        this.epochMillisAtZero = epochMillisAtZero;
    }

    @Override
    public synchronized long nanoTime()
    {
        return nanos;
    }

    @Override
    public synchronized long currentTimeMillis()
    {
        return epochMillisAtZero + nanos / 1_000_000;
    }

    @Override
    public synchronized void sleepNanos(long nanos)
    {
        sleeps.add(nanos);
        this.nanos += nanos;
    }

    synchronized void advanceNanos(long nanos)
    {
        this.nanos += nanos;
    }

    synchronized List<Long> sleeps()
    {
        return List.copyOf(sleeps);
    }
}
