package io.kaflowsql.node.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What one moved partition showed during one hand-over of {@link ClusterHandoverBenchmark}: the longest
 * interval between consecutive output append times from the trigger (node start, SIGTERM or kill -9)
 * until the partition produced on its new owner ({@code gap}), the longest such interval in the quiet
 * period before the trigger ({@code normal}), the longest wait of a click sent from the trigger until the new
 * owner produced, from its sending to its output ({@code clickWait}; it also counts clicks queued behind records the
 * new owner released first) and the same over the quiet period ({@code normalClickWait}), for a kill the time from the kill to the survivor's first
 * new assignment ({@code detectedMillis}), and the node log lines about the task. Immutable.
 *
 * @param kind {@code join}, {@code leave} or {@code kill-9}
 * @param triggerEpochMillis when the node was started, sent SIGTERM or killed
 */
record HandoverMove(String kind, int run, int partition, String from, String to, long triggerEpochMillis, AppendTimeCollector.Gap gap,
        AppendTimeCollector.Gap normal, AppendTimeCollector.Wait clickWait, AppendTimeCollector.Wait normalClickWait, OptionalLong detectedMillis, List<String> evidence)
{
    HandoverMove
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(gap, "gap is null");
        requireNonNull(normal, "normal is null");
        requireNonNull(clickWait, "clickWait is null");
        requireNonNull(normalClickWait, "normalClickWait is null");
        requireNonNull(detectedMillis, "detectedMillis is null");
        evidence = List.copyOf(evidence);
    }

    /** From the failure detection to the end of the gap (the first output on the new owner); empty unless a kill. */
    OptionalLong gapAfterDetectionMillis()
    {
        if (detectedMillis.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(gap.toEpochMillis() - (triggerEpochMillis + detectedMillis.getAsLong()));
    }

    String describe()
    {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "RUN %d %-6s p%d %s -> %s: gap %,6d ms (+%.1f s .. +%.1f s after the %s); normal max gap %,d ms",
                run, kind, partition, from, to, gap.millis(), seconds(gap.fromEpochMillis()), seconds(gap.toEpochMillis()), trigger(), normal.millis()));
        line.append(String.format(Locale.ROOT, "; longest click wait %,d ms (sent +%.1f s), normal %,d ms",
                clickWait.millis(), seconds(clickWait.clickEpochMillis()), normalClickWait.millis()));
        detectedMillis.ifPresent(detected -> line.append(String.format(Locale.ROOT, "; failure detected +%.1f s, gap after detection %,d ms",
                detected / 1000.0, gapAfterDetectionMillis().getAsLong())));
        evidence.forEach(text -> line.append("\n      log ").append(text));
        return line.toString();
    }

    private String trigger()
    {
        return switch (kind) {
            case "join" -> "joiner's start";
            case "leave" -> "SIGTERM";
            default -> "kill";
        };
    }

    private double seconds(long epochMillis)
    {
        return (epochMillis - triggerEpochMillis) / 1000.0;
    }

    /** SUMMARY lines: per kind, medians and maxima over every moved partition of every run. */
    static List<String> summarize(List<HandoverMove> moves)
    {
        Map<String, List<HandoverMove>> byKind = new LinkedHashMap<>();
        for (HandoverMove move : moves) {
            byKind.computeIfAbsent(move.kind(), kind -> new ArrayList<>()).add(move);
        }
        List<String> lines = new ArrayList<>();
        byKind.forEach((kind, list) -> {
            Samples gaps = new Samples();
            Samples normals = new Samples();
            Samples detected = new Samples();
            Samples afterDetection = new Samples();
            Samples waits = new Samples();
            Samples normalWaits = new Samples();
            long max = 0;
            for (HandoverMove move : list) {
                gaps.add(move.gap().millis());
                normals.add(move.normal().millis());
                waits.add(move.clickWait().millis());
                normalWaits.add(move.normalClickWait().millis());
                max = Math.max(max, move.gap().millis());
                move.detectedMillis().ifPresent(detected::add);
                move.gapAfterDetectionMillis().ifPresent(afterDetection::add);
            }
            lines.add(String.format(Locale.ROOT, "SUMMARY %-6s %d moved partitions: gap median %,.0f ms, max %,d ms (all: %s); normal max gap median %,.0f ms",
                    kind, list.size(), gaps.median(), max, gaps.all("%.0f"), normals.median()));
            lines.add(String.format(Locale.ROOT, "SUMMARY %-6s longest click wait median %,.0f ms, max %,.0f ms (all: %s); normal median %,.0f ms",
                    kind, waits.median(), waits.max(), waits.all("%.0f"), normalWaits.median()));
            if (!detected.isEmpty()) {
                lines.add(String.format(Locale.ROOT, "SUMMARY %-6s failure detection median %,.0f ms (all: %s); gap after detection median %,.0f ms (all: %s)",
                        kind, detected.median(), detected.all("%.0f"), afterDetection.median(), afterDetection.all("%.0f")));
            }
        });
        return lines;
    }
}
