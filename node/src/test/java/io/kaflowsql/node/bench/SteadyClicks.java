package io.kaflowsql.node.bench;

import io.kaflowsql.pipelines.personalization.PersonalizationDataset;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Feeds clicks of a dataset to a topic at a steady rate on its own thread until closed, stamped with the
 * clock's time at send (so none expires under the seed's TTLs), in one-second paced portions of a
 * {@link ClickSender}. Thread-safe: progress and failure are read through atomics.
 */
final class SteadyClicks
        implements AutoCloseable
{
    private final ClickSender sender;
    private final double perSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    SteadyClicks(String bootstrapServers, PersonalizationDataset dataset, String topic, double perSecond, Clock clock)
    {
        this.sender = new ClickSender(bootstrapServers, dataset, topic, clock);
        this.perSecond = perSecond;
        this.thread = new Thread(this::feed, "bench-steady-clicks");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void feed()
    {
        try {
            while (!stopped) {
                sent.addAndGet(sender.sendPaced(perSecond, Duration.ofSeconds(1)));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    long sent()
    {
        if (failure.get() != null) {
            throw new IllegalStateException("feeding clicks failed", failure.get());
        }
        return sent.get();
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopped = true;
        thread.join(10_000);
        sender.close();
    }
}
