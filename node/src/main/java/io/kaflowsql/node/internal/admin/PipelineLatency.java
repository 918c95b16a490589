package io.kaflowsql.node.internal.admin;

import io.kaflowsql.node.internal.http.DashboardView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;

import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Reads a pipeline's latency quantiles (p50, p95, p99) from the timers the engine registers on the node's registry:
 * the quantile flavour of {@code kaflowsql.end.to.end.latency} and {@code kaflowsql.processing.latency} (see
 * docs/reference/metrics.md), whose quantiles cover a sliding window of about two minutes, the same figures {@code /metrics}
 * publishes.
 *
 * <p>Thread-safe: a snapshot only reads the timers.
 */
final class PipelineLatency
{
    static final String END_TO_END = "kaflowsql.end.to.end.latency";
    static final String PROCESSING = "kaflowsql.processing.latency";

    private final MeterRegistry registry;

    PipelineLatency(MeterRegistry registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    DashboardView.Latency endToEnd(String pipeline)
    {
        return quantiles(END_TO_END, pipeline);
    }

    DashboardView.Latency processing(String pipeline)
    {
        return quantiles(PROCESSING, pipeline);
    }

    private DashboardView.Latency quantiles(String name, String pipeline)
    {
        Timer timer = registry.find(name).tag("pipeline", pipeline).timer();
        if (timer == null || timer.count() == 0) {
            return DashboardView.Latency.NONE;
        }
        HistogramSnapshot snapshot = timer.takeSnapshot();
        Double p50 = null;
        Double p95 = null;
        Double p99 = null;
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            double millis = value.value(TimeUnit.MILLISECONDS);
            if (!Double.isFinite(millis)) {
                continue;
            }
            if (value.percentile() == 0.5) {
                p50 = millis;
            }
            else if (value.percentile() == 0.95) {
                p95 = millis;
            }
            else if (value.percentile() == 0.99) {
                p99 = millis;
            }
        }
        return new DashboardView.Latency(p50, p95, p99);
    }
}
