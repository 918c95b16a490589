package io.kaflowsql.pipelines.personalization;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Time as the traffic generator sees it: a monotonic clock for pacing, the wall clock for record
 * event times, and a way to wait. Injected so that pacing tests run on a fake clock whose
 * {@link #sleepNanos} advances time instantly. Implementations must be thread-safe.
 */
public interface TrafficClock
{
    /** Monotonic nanoseconds, for measuring elapsed time only. */
    long nanoTime();

    /** Wall-clock epoch milliseconds, used as record event time. */
    long currentTimeMillis();

    /** Blocks for about {@code nanos}. */
    void sleepNanos(long nanos)
            throws InterruptedException;

    static TrafficClock system()
    {
        return system(Clock.systemUTC());
    }

    /** The JVM's monotonic clock and sleep, with event times from {@code wallClock}. */
    static TrafficClock system(Clock wallClock)
    {
        requireNonNull(wallClock, "wallClock is null");
        return new TrafficClock()
        {
            @Override
            public long nanoTime()
            {
                return System.nanoTime();
            }

            @Override
            public long currentTimeMillis()
            {
                return wallClock.millis();
            }

            @Override
            public void sleepNanos(long nanos)
                    throws InterruptedException
            {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }
}
