package io.kaflowsql.node.internal.admin;

import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Throughput of each pipeline on this node (records in and out per second over the last {@value #WINDOW} samples),
 * from counters sampled by {@link #sample()} about once a second; the admin server calls it from a timer.
 *
 * <p>Thread-safe.
 */
final class PipelineRates
{
    static final int WINDOW = 10;

    private final Supplier<List<PipelineRuntime>> runtimes;
    private final LongSupplier nanos;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    PipelineRates(Supplier<List<PipelineRuntime>> runtimes, LongSupplier nanos)
    {
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
        this.nanos = requireNonNull(nanos, "nanos is null");
    }

    synchronized void sample()
    {
        long now = nanos.getAsLong();
        List<PipelineRuntime> current = runtimes.get();
        Set<String> names = new HashSet<>();
        current.forEach(runtime -> names.add(runtime.pipeline().name()));
        samples.keySet().retainAll(names); // deleted pipelines
        for (PipelineRuntime runtime : current) {
            PipelineMetrics metrics = runtime.metrics();
            Deque<Sample> window = samples.computeIfAbsent(runtime.pipeline().name(), ignored -> new ArrayDeque<>());
            if (!window.isEmpty() && window.getLast().out() > metrics.recordsOut()) {
                window.clear(); // a replaced pipeline counts from zero again
            }
            window.addLast(new Sample(now, recordsIn(metrics), metrics.recordsOut()));
            while (window.size() > WINDOW) {
                window.removeFirst();
            }
        }
    }

    /** Records per second over the sampled window; zero before two samples. */
    synchronized Rate rate(String pipeline)
    {
        Deque<Sample> window = samples.get(pipeline);
        if (window == null || window.size() < 2) {
            return new Rate(0, 0);
        }
        Sample first = window.getFirst();
        Sample last = window.getLast();
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        if (seconds <= 0) {
            return new Rate(0, 0);
        }
        return new Rate((last.in() - first.in()) / seconds, (last.out() - first.out()) / seconds);
    }

    /** Driving and joined records read (every source). */
    static long recordsIn(PipelineMetrics metrics)
    {
        long total = 0;
        for (int source = 0; source < metrics.sources().size(); source++) {
            total += metrics.recordsIn(source);
        }
        return total;
    }

    record Rate(double inPerSecond, double outPerSecond) {}

    private record Sample(long nanos, long in, long out) {}
}
