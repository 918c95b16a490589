package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.pipelines.personalization.LatencySnapshot;
import io.kaflowsql.pipelines.personalization.OutputLatencyProbe;
import io.kaflowsql.pipelines.personalization.SampleRecord;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The demo's periodic console summary: events in/out per second, join hit rate per source, held and
 * rejected records, end-to-end latency and a few sample enriched events.
 *
 * <p>Not thread-safe: one printing thread.
 */
final class LiveSummary
{
    private static final int SAMPLE_WIDTH = 160;

    private final PipelineMetrics metrics;
    private final OutputLatencyProbe probe;
    private final PrintStream out;
    private final int samples;
    private long lastIn;
    private long lastOut;
    private long lastMillis;

    LiveSummary(PipelineMetrics metrics, OutputLatencyProbe probe, PrintStream out, int samples, long startMillis)
    {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.out = requireNonNull(out, "out is null");
        this.samples = samples;
        this.lastMillis = startMillis;
    }

    void print(long nowMillis, long elapsedSeconds)
    {
        long in = metrics.recordsIn(0);
        long outCount = metrics.recordsOut();
        double seconds = Math.max(0.001, (nowMillis - lastMillis) / 1000.0);
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "[%02d:%02d] clicks in %6.0f/s  out %6.0f/s  (total in %d, out %d, filtered %d, held now %d, rejected %d)",
                elapsedSeconds / 60, elapsedSeconds % 60, (in - lastIn) / seconds, (outCount - lastOut) / seconds,
                in, outCount, metrics.filteredOut(), heldNow(), metrics.rejectedTotal()));
        out.println(line);
        StringBuilder hits = new StringBuilder("        join hit rate:  ").append(JoinHitRates.describe(metrics));
        LatencySnapshot latency = probe.intervalSnapshot();
        if (latency.count() > 0) {
            hits.append(String.format(Locale.ROOT, "  | end-to-end p50 %.1f ms  p95 %.1f ms  p99 %.1f ms",
                    latency.p50Micros() / 1000.0, latency.p95Micros() / 1000.0, latency.p99Micros() / 1000.0));
        }
        out.println(hits);
        List<SampleRecord> recent = probe.recentRecords();
        for (SampleRecord sample : recent.subList(Math.max(0, recent.size() - samples), recent.size())) {
            String value = sample.value();
            out.println("        sample: " + (value.length() > SAMPLE_WIDTH ? value.substring(0, SAMPLE_WIDTH) + "..." : value));
        }
        out.flush();
        lastIn = in;
        lastOut = outCount;
        lastMillis = nowMillis;
    }

    private long heldNow()
    {
        return metrics.heldCount() - metrics.releasedCount() - metrics.expiredDropped() - metrics.expiredEmitted();
    }
}
