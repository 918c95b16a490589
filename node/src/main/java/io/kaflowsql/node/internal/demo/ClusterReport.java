package io.kaflowsql.node.internal.demo;

import io.kaflowsql.coordinator.assignment.TaskId;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * What {@code demo --nodes N} prints from its reads of the nodes ({@link NodeSample}s): every summary
 * interval the leader, the assignment generation and per node its lifecycle, open tasks (and those it is still
 * opening), standby tasks and events/s written; at the end a {@code RESULT} line with each node's total over
 * the measured period. A value that could not be read prints as {@code n/a}, never as 0 or {@code []}: a node
 * too slow to answer must not look like a node without work.
 *
 * <p>Also decides when the cluster has <b>settled</b> ({@link #settled}): the measured period starts then,
 * because on one machine the first minute(s) go to starting JVMs, joining, loading dimensions and moving tasks.
 *
 * <p>Not thread-safe: the demo thread uses it.
 */
final class ClusterReport
{
    static final String NOT_AVAILABLE = "n/a";

    private final String pipeline;
    private final PrintStream out;
    /** Last counter value read per node, and when. */
    private final Map<String, Double> latest = new HashMap<>();
    private final Map<String, Long> latestMillis = new HashMap<>();
    /** Counter values at the start of the measured period. */
    private final Map<String, Double> baseline = new HashMap<>();
    private long measuredFromMillis;

    /** @param pipeline the demo's pipeline: its tasks print as partition numbers */
    ClusterReport(String pipeline, PrintStream out)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Starts (or restarts) the measured period at {@code millis}; a node not read now counts from its last read value. */
    void startMeasuring(List<NodeSample> samples, long millis)
    {
        remember(samples);
        baseline.clear();
        latest.forEach(baseline::put);
        measuredFromMillis = millis;
    }

    /** Prints one summary block; rates are over the time since each node's previous successful read. */
    void print(long elapsedSeconds, List<NodeSample> samples)
    {
        Optional<NodeSample> freshest = freshest(samples);
        String leader = freshest.flatMap(sample -> sample.view().map(json -> json.path("leader").asText(NOT_AVAILABLE))).orElse(NOT_AVAILABLE);
        String generation = freshest.flatMap(NodeSample::generation).map(String::valueOf).orElse(NOT_AVAILABLE);
        String tasks = freshest.flatMap(NodeSample::owners).map(owners -> openSummary(owners.keySet(), samples)).orElse("tasks n/a");
        out.printf(Locale.ROOT, "[%4ds] leader %s, generation %s, %s%n", elapsedSeconds, leader, generation, tasks);
        for (NodeSample sample : samples) {
            String lifecycle = sample.lifecycle().orElse(sample.alive() ? NOT_AVAILABLE : "EXITED");
            String opening = sample.opening().filter(set -> !set.isEmpty()).map(set -> "  opening " + tasks(set)).orElse("");
            out.printf(Locale.ROOT, "  %-8s %-13s owns %-14s standby %-14s %9s events/s%s%n", sample.nodeId(), lifecycle,
                    sample.owned().map(this::tasks).orElse(NOT_AVAILABLE), sample.standbys().map(this::tasks).orElse(NOT_AVAILABLE),
                    rate(sample), opening);
        }
        remember(samples);
    }

    /**
     * Prints {@code RESULT events_out=<total> over <s> s (<rate>/s) with <n> nodes: node-1=<count> ...}, each node's
     * results written since the measured period started, read from {@code samples} (the final read); a node whose
     * final read failed prints {@code n/a} and is left out of the total. Returns the total.
     */
    long printResult(List<NodeSample> samples, long millis, String note)
    {
        remember(samples);
        double seconds = Math.max(1, millis - measuredFromMillis) / 1000.0;
        long total = 0;
        StringBuilder perNode = new StringBuilder();
        for (NodeSample sample : samples) {
            Double last = latest.get(sample.nodeId());
            if (last == null || sample.recordsOut().isEmpty()) {
                perNode.append(' ').append(sample.nodeId()).append('=').append(NOT_AVAILABLE);
                continue;
            }
            long written = Math.round(last - baseline.getOrDefault(sample.nodeId(), 0.0));
            total += written;
            perNode.append(' ').append(sample.nodeId()).append('=').append(written);
        }
        out.printf(Locale.ROOT, "RESULT events_out=%d over %.1f s (%.0f/s) with %d nodes:%s%s%n", total, seconds, total / seconds, samples.size(),
                perNode, note.isEmpty() ? "" : " (" + note + ")");
        return total;
    }

    /**
     * True when every node answered, is READY and applied the same assignment generation, every task of that
     * assignment is open on exactly its assigned owner and nowhere else, and — when there are at least as many
     * tasks as nodes — every node owns one.
     */
    static boolean settled(List<NodeSample> samples)
    {
        if (samples.isEmpty() || !samples.stream().allMatch(sample -> sample.lifecycle().filter("READY"::equals).isPresent())) {
            return false;
        }
        Set<Long> generations = samples.stream().map(sample -> sample.generation().orElse(-1L)).collect(Collectors.toSet());
        Map<TaskId, String> owners = samples.get(0).owners().orElse(Map.of());
        if (generations.size() != 1 || owners.isEmpty()) {
            return false;
        }
        for (NodeSample sample : samples) {
            Set<TaskId> assigned = owners.entrySet().stream().filter(entry -> entry.getValue().equals(sample.nodeId()))
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            if (!sample.owned().orElse(Set.of()).equals(assigned) || (assigned.isEmpty() && owners.size() >= samples.size())) {
                return false;
            }
        }
        return true;
    }

    private String openSummary(Set<TaskId> tasks, List<NodeSample> samples)
    {
        Map<TaskId, Integer> openOn = new LinkedHashMap<>();
        for (NodeSample sample : samples) {
            sample.owned().ifPresent(owned -> owned.forEach(task -> openOn.merge(task, 1, Integer::sum)));
        }
        long open = tasks.stream().filter(openOn::containsKey).count();
        Set<TaskId> twice = openOn.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
        boolean allRead = samples.stream().allMatch(sample -> sample.view().isPresent());
        return String.format(Locale.ROOT, "%d tasks, %d open%s%s", tasks.size(), open, allRead ? "" : " on the nodes that answered",
                twice.isEmpty() ? "" : ", open on two nodes while handed over: " + tasks(twice));
    }

    private String rate(NodeSample sample)
    {
        OptionalDouble now = sample.recordsOut();
        Double previous = latest.get(sample.nodeId());
        if (now.isEmpty() || previous == null) {
            return NOT_AVAILABLE;
        }
        long intervalMillis = Math.max(1, sample.millis() - latestMillis.get(sample.nodeId()));
        return String.format(Locale.ROOT, "%.0f", Math.max(0, now.getAsDouble() - previous) * 1000.0 / intervalMillis);
    }

    private void remember(List<NodeSample> samples)
    {
        for (NodeSample sample : samples) {
            sample.recordsOut().ifPresent(value -> {
                latest.put(sample.nodeId(), value);
                latestMillis.put(sample.nodeId(), sample.millis());
            });
        }
    }

    /** {@code [0, 2]} for the demo pipeline's partitions; other pipelines' tasks by their full id. */
    private String tasks(Set<TaskId> tasks)
    {
        return tasks.stream().sorted().map(task -> task.pipeline().equals(pipeline) ? Integer.toString(task.partition()) : task.toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static Optional<NodeSample> freshest(List<NodeSample> samples)
    {
        return samples.stream().filter(sample -> sample.view().isPresent()).max(Comparator.comparing(sample -> sample.generation().orElse(-1L)));
    }
}
