package io.kaflowsql.engine.internal.runtime;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * When the stream thread commits next: once the commit interval passed since the last commit ended, but never
 * sooner after a commit than that commit took.
 *
 * <p>Why the second rule: on an overloaded machine a transaction commit can take longer than the interval
 * (100 ms by default). Committing again as soon as the interval passed then keeps the thread committing most of
 * the time, and a backlog (after a hand-over or a restart) drains at a small fraction of the rate the thread could
 * process it. Pacing commits by their own duration bounds them to about half of the thread's time, while results
 * still become visible as soon as the machine allows. On a healthy machine commits take a few milliseconds and
 * the interval alone decides.
 *
 * <p>The processing time owed to a slow commit is capped at {@value #MAX_PACING_MILLIS} ms: a commit that took long
 * because it waited for Kafka (a broker restarting, a partition leader moving) says nothing about the next one, and
 * pacing by it kept every task of the node in one open transaction, its results invisible to {@code read_committed}
 * readers, for as long again as the broker had been away (the chaos suite's "second stall after a broker bounce").
 *
 * <p>Not thread-safe: confined to the stream thread.
 */
final class CommitPacer
{
    static final long MAX_PACING_MILLIS = 1_000;

    private final long intervalMillis;
    private long lastEndMillis;
    private long lastTookMillis;

    CommitPacer(Duration interval, long nowMillis)
    {
        this.intervalMillis = requireNonNull(interval, "interval is null").toMillis();
        this.lastEndMillis = nowMillis;
    }

    boolean due(long nowMillis)
    {
        return nowMillis - lastEndMillis >= Math.max(intervalMillis, Math.min(lastTookMillis, MAX_PACING_MILLIS));
    }

    /** Records a commit that ran from {@code startMillis} to {@code endMillis}. */
    void committed(long startMillis, long endMillis)
    {
        lastEndMillis = endMillis;
        lastTookMillis = Math.max(0, endMillis - startMillis);
    }

    /** Starts counting the interval afresh from {@code nowMillis}, as after a commit that took no time. */
    void restart(long nowMillis)
    {
        committed(nowMillis, nowMillis);
    }
}
