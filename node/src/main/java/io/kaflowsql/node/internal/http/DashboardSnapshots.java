package io.kaflowsql.node.internal.http;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The dashboard's figures, built at most once per {@code maxAge} however many browsers poll them.
 *
 * <p>Building a view asks every peer for its status and may block up to the admin API's peer deadline when one does not
 * answer. The node's HTTP server has only two threads, shared with {@code /ready} and {@code /metrics}, so at most one
 * thread builds at a time: a request arriving meanwhile gets the previous view at once instead of queueing behind the
 * build (only the very first request, with nothing to show yet, waits).
 *
 * <p>Thread-safe.
 */
final class DashboardSnapshots
{
    static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(1);

    private final Supplier<DashboardView> source;
    private final LongSupplier nanos;
    private final long maxAgeNanos;
    private final ReentrantLock building = new ReentrantLock();
    private volatile Snapshot latest;

    DashboardSnapshots(Supplier<DashboardView> source, LongSupplier nanos, Duration maxAge)
    {
        this.source = requireNonNull(source, "source is null");
        this.nanos = requireNonNull(nanos, "nanos is null");
        this.maxAgeNanos = requireNonNull(maxAge, "maxAge is null").toNanos();
    }

    /** A view at most {@code maxAge} old, or the previous one while another thread builds a new one. */
    DashboardView get()
    {
        Snapshot current = latest;
        if (current != null && isFresh(current)) {
            return current.view();
        }
        if (current == null) {
            building.lock();
        }
        else if (!building.tryLock()) {
            return current.view();
        }
        try {
            Snapshot again = latest;
            if (again != null && again != current && isFresh(again)) {
                return again.view(); // built by another thread while this one waited for the lock
            }
            DashboardView view = requireNonNull(source.get(), "the dashboard source returned null");
            latest = new Snapshot(view, nanos.getAsLong());
            return view;
        }
        finally {
            building.unlock();
        }
    }

    private boolean isFresh(Snapshot snapshot)
    {
        return nanos.getAsLong() - snapshot.takenAtNanos() < maxAgeNanos;
    }

    private record Snapshot(DashboardView view, long takenAtNanos) {}
}
