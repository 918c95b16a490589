package io.kaflowsql.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Processing gaps as the output shows them, per partition: a gap is a span during which the partition had input
 * waiting (a click that passes WHERE acknowledged by the broker, its output not yet read) and no new output of that
 * partition appeared. It starts when the oldest waiting click was acknowledged or when the previous output was read,
 * whichever is later, and ends when the next output is read. Times are those of the checker's reader, so a gap is
 * measured to within its poll interval (about 100 ms) plus the commit interval.
 *
 * <p>Also the end-to-end latency of each click: acknowledged by the broker to first read committed.
 *
 * <p>Stateless; thread-safe.
 */
final class ProcessingGaps
{
    /** One click's input and output moments; {@code seenNanos} is 0 if its output was never read. */
    record Click(int partition, long ackedAtNanos, long seenNanos) {}

    /** A span with waiting input and no output on one partition; {@code endNanos} is 0 if it never ended. */
    record Gap(int partition, long startNanos, long endNanos)
    {
        double seconds(long runEndNanos)
        {
            return ((endNanos == 0 ? runEndNanos : endNanos) - startNanos) / 1e9;
        }
    }

    /** Latency percentiles in milliseconds over the clicks whose output was read. */
    record Latency(long clicks, double p50, double p99, double max) {}

    private ProcessingGaps() {}

    /** Every gap longer than {@code minimumSeconds}, longest first. */
    static List<Gap> find(List<Click> clicks, double minimumSeconds, long runEndNanos)
    {
        Map<Integer, List<Click>> byPartition = new TreeMap<>();
        clicks.stream().filter(click -> click.ackedAtNanos() != 0).forEach(click -> byPartition.computeIfAbsent(click.partition(), p -> new ArrayList<>()).add(click));
        List<Gap> gaps = new ArrayList<>();
        byPartition.forEach((partition, ofPartition) -> gaps.addAll(gapsOf(partition, ofPartition, minimumSeconds, runEndNanos)));
        gaps.sort(Comparator.comparingDouble((Gap gap) -> gap.seconds(runEndNanos)).reversed());
        return gaps;
    }

    private static List<Gap> gapsOf(int partition, List<Click> clicks, double minimumSeconds, long runEndNanos)
    {
        // events in time order: +1 when a click is acknowledged, -1 when its output is read (never = end of the run)
        List<long[]> events = new ArrayList<>();
        for (Click click : clicks) {
            events.add(new long[] {click.ackedAtNanos(), 1});
            events.add(new long[] {click.seenNanos() == 0 ? Long.MAX_VALUE : Math.max(click.seenNanos(), click.ackedAtNanos()), -1});
        }
        events.sort(Comparator.<long[]>comparingLong(event -> event[0]).thenComparingLong(event -> event[1]));
        List<Gap> gaps = new ArrayList<>();
        int waiting = 0;
        long progress = 0;
        for (long[] event : events) {
            if (event[1] > 0) {
                if (waiting == 0) {
                    progress = event[0];
                }
                waiting++;
                continue;
            }
            if (event[0] == Long.MAX_VALUE) {
                gaps.add(new Gap(partition, progress, 0));
                break;
            }
            waiting--;
            if ((event[0] - progress) / 1e9 > minimumSeconds) {
                gaps.add(new Gap(partition, progress, event[0]));
            }
            progress = event[0];
        }
        return gaps.stream().filter(gap -> gap.seconds(runEndNanos) > minimumSeconds).toList();
    }

    static Latency latency(List<Click> clicks)
    {
        double[] millis = clicks.stream()
                .filter(click -> click.ackedAtNanos() != 0 && click.seenNanos() != 0)
                .mapToDouble(click -> Math.max(0, click.seenNanos() - click.ackedAtNanos()) / 1e6)
                .sorted()
                .toArray();
        if (millis.length == 0) {
            return new Latency(0, 0, 0, 0);
        }
        return new Latency(millis.length, percentile(millis, 0.50), percentile(millis, 0.99), millis[millis.length - 1]);
    }

    private static double percentile(double[] sorted, double quantile)
    {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    static String describe(Gap gap, long runEndNanos, Timeline timeline)
    {
        requireNonNull(timeline, "timeline is null");
        return String.format("partition %d: %.1f s from +%.1fs%s (%s)", gap.partition(), gap.seconds(runEndNanos), timeline.seconds(gap.startNanos()),
                gap.endNanos() == 0 ? ", never ended" : "", timeline.stepAt(gap.startNanos()));
    }
}
