package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.bench.GuaranteeBenchmark.DrainRun;
import io.kaflowsql.node.bench.GuaranteeBenchmark.LatencyRun;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import static io.kaflowsql.engine.api.runtime.ProcessingGuarantee.AT_LEAST_ONCE;
import static io.kaflowsql.engine.api.runtime.ProcessingGuarantee.EXACTLY_ONCE;
import static java.util.Objects.requireNonNull;

/**
 * The summary of a {@link GuaranteeBenchmark}: per guarantee the runs and their median, and the
 * exactly-once / at-least-once ratios. Lines start with {@code SUMMARY} so a script can pick them out.
 * Immutable.
 */
final class GuaranteeReport
{
    private final List<DrainRun> drains;
    private final List<LatencyRun> latencies;
    private final long clicks;
    private final int partitions;
    private final Duration commitInterval;
    private final double latencyRate;

    GuaranteeReport(List<DrainRun> drains, List<LatencyRun> latencies, long clicks, int partitions, Duration commitInterval, double latencyRate)
    {
        this.drains = List.copyOf(requireNonNull(drains, "drains is null"));
        this.latencies = List.copyOf(requireNonNull(latencies, "latencies is null"));
        this.clicks = clicks;
        this.partitions = partitions;
        this.commitInterval = requireNonNull(commitInterval, "commitInterval is null");
        this.latencyRate = latencyRate;
    }

    void print(PrintStream out)
    {
        if (!drains.isEmpty()) {
            printDrains(out);
        }
        if (!latencies.isEmpty()) {
            printLatencies(out);
        }
    }

    private void printDrains(PrintStream out)
    {
        out.printf(Locale.ROOT, "SUMMARY drain of %,d clicks, %d partitions, commit interval %d ms%n", clicks, partitions, commitInterval.toMillis());
        double aloRate = drainLine(out, AT_LEAST_ONCE, "clicks/s", "%,.0f", DrainRun::clicksPerSecond);
        double eosRate = drainLine(out, EXACTLY_ONCE, "clicks/s", "%,.0f", DrainRun::clicksPerSecond);
        double aloCpu = drainLine(out, AT_LEAST_ONCE, "CPU µs/click", "%.1f", DrainRun::cpuMicrosPerClick);
        double eosCpu = drainLine(out, EXACTLY_ONCE, "CPU µs/click", "%.1f", DrainRun::cpuMicrosPerClick);
        drainLine(out, AT_LEAST_ONCE, "task commits", "%.0f", run -> run.commits());
        drainLine(out, EXACTLY_ONCE, "task commits", "%.0f", run -> run.commits());
        out.printf(Locale.ROOT, "SUMMARY ratio exactly_once/at_least_once: throughput %.2f, CPU per click %.2f%n", eosRate / aloRate, eosCpu / aloCpu);
        boolean consistent = drains.stream().allMatch(run -> run.topic().records() == run.recordsOut() && run.topic().distinctEventIds() == run.recordsOut());
        long distinctOutputs = drains.stream().mapToLong(DrainRun::recordsOut).distinct().count();
        out.printf(Locale.ROOT, "SUMMARY output check: topic records = distinct event ids = recordsOut in every run: %s; same output count in all runs: %s%n",
                consistent, distinctOutputs == 1);
    }

    private void printLatencies(PrintStream out)
    {
        out.printf(Locale.ROOT, "SUMMARY latency at %,.0f clicks/s (record timestamp -> read_committed read)%n", latencyRate);
        double aloP99 = latencyLine(out, AT_LEAST_ONCE);
        double eosP99 = latencyLine(out, EXACTLY_ONCE);
        out.printf(Locale.ROOT, "SUMMARY ratio exactly_once/at_least_once: p99 latency %.2f%n", eosP99 / aloP99);
    }

    private double drainLine(PrintStream out, ProcessingGuarantee guarantee, String what, String format, ToDoubleFunction<DrainRun> value)
    {
        Samples samples = new Samples();
        drains.stream().filter(run -> run.guarantee() == guarantee).forEach(run -> samples.add(value.applyAsDouble(run)));
        out.printf(Locale.ROOT, "SUMMARY %-13s %-12s median %s (runs %s)%n", guarantee.configName(), what,
                String.format(Locale.ROOT, format, samples.median()), samples.all(format));
        return samples.median();
    }

    /** Prints p50 and p99 medians over the guarantee's runs; returns the p99 median in ms. */
    private double latencyLine(PrintStream out, ProcessingGuarantee guarantee)
    {
        Samples p50 = new Samples();
        Samples p99 = new Samples();
        latencies.stream().filter(run -> run.guarantee() == guarantee).forEach(run -> {
            p50.add(run.latency().p50Micros() / 1000.0);
            p99.add(run.latency().p99Micros() / 1000.0);
        });
        out.printf(Locale.ROOT, "SUMMARY %-13s p50 median %.1f ms (runs %s), p99 median %.1f ms (runs %s)%n", guarantee.configName(),
                p50.median(), p50.all("%.1f"), p99.median(), p99.all("%.1f"));
        return p99.median();
    }
}
