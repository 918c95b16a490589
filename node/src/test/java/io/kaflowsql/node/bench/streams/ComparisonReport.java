package io.kaflowsql.node.bench.streams;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * Prints each run as it finishes and, at the end, the two engines side by side (medians over the rounds) with
 * the ratio KaflowSQL / Kafka Streams per line and the goals. Immutable after construction.
 */
final class ComparisonReport
{
    private static final double MIB = 1024.0 * 1024.0;

    private final List<Engine> engines;
    private final List<ThroughputRun> throughput;
    private final List<LatencyRun> latency;
    private final double rate;

    ComparisonReport(List<Engine> engines, List<ThroughputRun> throughput, List<LatencyRun> latency, double rate)
    {
        this.engines = List.copyOf(requireNonNull(engines, "engines is null"));
        this.throughput = List.copyOf(requireNonNull(throughput, "throughput is null"));
        this.latency = List.copyOf(requireNonNull(latency, "latency is null"));
        this.rate = rate;
    }

    static void print(int round, ThroughputRun run)
    {
        System.out.printf(Locale.ROOT, "THROUGHPUT round %d %-13s %,8.0f clicks/s, %,8.0f results/s, %.2f cores (%,.0f clicks per CPU-second), ready after %.1f s, "
                        + "first result after %.1f s, peak RSS %,.0f MiB, heap after GC %s%s; %s%n",
                round, run.engine().label(), run.clicksPerSecond(), run.resultsPerSecond(), run.cores(), run.clicksPerCpuSecond(), run.readyMillis() / 1000.0,
                run.firstOutputMillis() / 1000.0, run.peakRssBytes() / MIB, heap(run), run.backlogLeft() ? "" : "; WARNING the backlog ran out: raise --clicks",
                MachineLoad.describe());
    }

    static void print(int round, LatencyRun run)
    {
        System.out.printf(Locale.ROOT, "LATENCY round %d %-13s at %,.0f clicks/s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms over %,d results "
                        + "(%,.0f results/s, %,d clicks sent), %.2f cores, peak RSS %,.0f MiB; %s%n",
                round, run.engine().label(), run.rate(), run.latency().p50Micros() / 1000.0, run.latency().p95Micros() / 1000.0,
                run.latency().p99Micros() / 1000.0, run.latency().maxMicros() / 1000.0, run.latency().count(), run.resultsPerSecond(), run.sent(),
                run.cores(), run.peakRssBytes() / MIB, MachineLoad.describe());
    }

    void print(PrintStream out)
    {
        int rounds = (int) Math.max(throughput.stream().filter(run -> run.engine() == engines.get(0)).count(),
                latency.stream().filter(run -> run.engine() == engines.get(0)).count());
        out.printf(Locale.ROOT, "%nSIDE BY SIDE (median of %d round(s))%n", rounds);
        out.printf(Locale.ROOT, "%-46s", "");
        engines.forEach(engine -> out.printf(Locale.ROOT, "%16s", engine.label()));
        out.printf(Locale.ROOT, "%20s%n", hasBoth() ? "KaflowSQL/Streams" : "");
        if (!throughput.isEmpty()) {
            row(out, "max sustained throughput (clicks/s)", "%,16.0f", throughput(ThroughputRun::clicksPerSecond));
            row(out, "  engine CPU in the window (cores)", "%16.2f", throughput(ThroughputRun::cores));
            row(out, "  clicks per CPU-second", "%,16.0f", throughput(ThroughputRun::clicksPerCpuSecond));
            row(out, "  results per click (same for both = same work)", "%16.3f", throughput(run -> run.resultsPerSecond() / Math.max(1, run.clicksPerSecond())));
            row(out, "time to ready (s)", "%16.1f", throughput(run -> run.readyMillis() / 1000.0));
            row(out, "time to first result (s)", "%16.1f", throughput(run -> run.firstOutputMillis() / 1000.0));
            row(out, "peak RSS, throughput run (MiB)", "%,16.0f", throughput(run -> run.peakRssBytes() / MIB));
            row(out, "heap after full GC (MiB)", "%,16.0f",
                    throughput(run -> run.heapAfterGcBytes().isPresent() ? run.heapAfterGcBytes().getAsLong() / MIB : Double.NaN));
        }
        if (!latency.isEmpty()) {
            String at = String.format(Locale.ROOT, "at %,.0f clicks/s: ", rate);
            row(out, "latency " + at + "p50 (ms)", "%16.1f", latency(run -> run.latency().p50Micros() / 1000.0));
            row(out, "  p95 (ms)", "%16.1f", latency(run -> run.latency().p95Micros() / 1000.0));
            row(out, "  p99 (ms)", "%16.1f", latency(run -> run.latency().p99Micros() / 1000.0));
            row(out, "  max (ms)", "%16.1f", latency(run -> run.latency().maxMicros() / 1000.0));
            row(out, "  results/s", "%,16.0f", latency(LatencyRun::resultsPerSecond));
            row(out, "  engine CPU (cores)", "%16.2f", latency(LatencyRun::cores));
            row(out, "peak RSS, latency run (MiB)", "%,16.0f", latency(run -> run.peakRssBytes() / MIB));
        }
        if (hasBoth() && !throughput.isEmpty()) {
            double ratio = median(throughput, ThroughputRun::engine, Engine.KAFLOWSQL, ThroughputRun::clicksPerSecond)
                    / median(throughput, ThroughputRun::engine, Engine.STREAMS, ThroughputRun::clicksPerSecond);
            out.printf(Locale.ROOT, "GOAL max sustained throughput >= 2x Kafka Streams: %.2fx -> %s%n", ratio, ratio >= 2 ? "met" : "NOT met");
        }
        if (!latency.isEmpty()) {
            out.printf(Locale.ROOT, "GOAL p99 at %,.0f clicks/s (report the figure): KaflowSQL %.1f ms%n", rate,
                    median(latency, LatencyRun::engine, Engine.KAFLOWSQL, run -> run.latency().p99Micros() / 1000.0));
        }
    }

    private boolean hasBoth()
    {
        return engines.contains(Engine.KAFLOWSQL) && engines.contains(Engine.STREAMS);
    }

    private List<Double> throughput(ToDoubleFunction<ThroughputRun> value)
    {
        return engines.stream().map(engine -> median(throughput, ThroughputRun::engine, engine, value)).toList();
    }

    private List<Double> latency(ToDoubleFunction<LatencyRun> value)
    {
        return engines.stream().map(engine -> median(latency, LatencyRun::engine, engine, value)).toList();
    }

    private void row(PrintStream out, String label, String format, List<Double> values)
    {
        out.printf(Locale.ROOT, "%-46s", label);
        values.forEach(value -> out.printf(Locale.ROOT, Double.isNaN(value) ? "%16s" : format, Double.isNaN(value) ? "n/a" : value));
        if (hasBoth()) {
            double kaflow = values.get(engines.indexOf(Engine.KAFLOWSQL));
            double streams = values.get(engines.indexOf(Engine.STREAMS));
            out.printf(Locale.ROOT, "%20s", streams == 0 || Double.isNaN(kaflow) || Double.isNaN(streams) ? "-" : String.format(Locale.ROOT, "%.2f", kaflow / streams));
        }
        out.println();
    }

    private static String heap(ThroughputRun run)
    {
        return run.heapAfterGcBytes().isPresent() ? String.format(Locale.ROOT, "%,.0f MiB", run.heapAfterGcBytes().getAsLong() / MIB) : "n/a";
    }

    /** Median of {@code value} over {@code engine}'s runs; NaN if it has none. */
    private static <R> double median(List<R> runs, Function<R, Engine> engineOf, Engine engine, ToDoubleFunction<R> value)
    {
        List<Double> values = new ArrayList<>();
        for (R run : runs) {
            if (engineOf.apply(run) == engine) {
                values.add(value.applyAsDouble(run));
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(Double::compare);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }
}
