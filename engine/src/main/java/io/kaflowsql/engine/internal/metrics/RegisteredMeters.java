package io.kaflowsql.engine.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Meters registered together and removed together: {@link #close()} removes every one from the
 * registry, so nothing stale (a closed partition, a stopped pipeline) is reported afterwards.
 *
 * <p>Thread-safe: meters may be added from any thread (e.g. lag gauges discovered on the stream thread)
 * while another closes the group; a meter added after close is removed at once.
 */
final class RegisteredMeters
        implements AutoCloseable
{
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private boolean closed;

    RegisteredMeters(MeterRegistry registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    MeterRegistry registry()
    {
        return registry;
    }

    <M extends Meter> M add(M meter)
    {
        requireNonNull(meter, "meter is null");
        synchronized (this) {
            if (!closed) {
                meters.add(meter);
                return meter;
            }
        }
        registry.remove(meter);
        return meter;
    }

    synchronized List<Meter> meters()
    {
        return List.copyOf(meters);
    }

    @Override
    public void close()
    {
        List<Meter> removed;
        synchronized (this) {
            closed = true;
            removed = List.copyOf(meters);
            meters.clear();
        }
        removed.forEach(registry::remove);
    }
}
