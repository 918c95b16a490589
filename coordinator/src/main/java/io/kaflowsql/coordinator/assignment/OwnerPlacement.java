package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the owner of every task: the owner half of {@link Assignor#assign}. Single use, not thread-safe:
 * build one per call and read {@link #owners()} once {@link #place()} returned.
 *
 * <p>Four steps, each deterministic (nodes by id, tasks by {@link TaskId} order):
 * <ol>
 * <li><b>sticky</b>: a task keeps its current owner if that node still can own it;</li>
 * <li><b>orphans</b> (no usable owner) go one by one to the least-loaded eligible node (water filling);</li>
 * <li><b>balance</b>: while some node {@code u} reaches, through a chain of nodes where each holds a task
 *     the next may own, a node {@code v} with {@code load(v) <= load(u) - 2}, one task is shifted along the
 *     shortest such chain. With no such chain left the owned-task counts form an optimal semi-matching:
 *     the largest load is as small as eligibility allows (and, when every node can own every task, counts
 *     differ by at most one). Each shift prefers a task that is moving anyway, then one warm on the receiver;</li>
 * <li><b>warm redistribution</b>: the tasks that change owner are dealt out again to the same nodes, in
 *     the same numbers, now preferring for each the warmest node and then the node with fewest tasks of
 *     its pipeline. Kept only if it leaves the counts as balanced as step 3 did; else step 3's choice stays.</li>
 * </ol>
 * Movement is minimal in the uniform case because a node that received a task in steps 2-3 never gives one
 * away again (its load stays within one of the minimum, which never decreases), so only surplus moves.
 */
final class OwnerPlacement
{
    /** Warmth of a node holding no copy of a task's state. */
    static final long COLD = Long.MIN_VALUE;

    private final List<NodeCandidate> nodes;
    private final List<TaskId> tasks;
    private final Assignment current;
    private final Map<TaskId, Map<String, Long>> warmState;
    private final Map<String, List<String>> eligibleByPipeline = new HashMap<>();
    private final Map<TaskId, String> owners = new TreeMap<>();
    private final Map<String, TreeSet<TaskId>> held = new TreeMap<>();

    OwnerPlacement(List<NodeCandidate> sortedNodes, List<TaskId> sortedTasks, Assignment current, Map<TaskId, Map<String, Long>> warmState)
    {
        this.nodes = List.copyOf(requireNonNull(sortedNodes, "sortedNodes is null"));
        this.tasks = List.copyOf(requireNonNull(sortedTasks, "sortedTasks is null"));
        this.current = requireNonNull(current, "current is null");
        this.warmState = requireNonNull(warmState, "warmState is null");
        for (NodeCandidate node : nodes) {
            if (node.acceptsTasks()) {
                held.put(node.nodeId(), new TreeSet<>());
            }
        }
    }

    Map<TaskId, String> owners()
    {
        return owners;
    }

    void place()
    {
        List<TaskId> orphans = new ArrayList<>();
        for (TaskId task : tasks) {
            List<String> eligible = eligible(task);
            String previous = current.owners().get(task);
            if (previous != null && eligible.contains(previous)) {
                put(task, previous);
            }
            else if (!eligible.isEmpty()) {
                orphans.add(task);
            }
        }
        for (TaskId task : orphans) {
            String best = eligible(task).stream()
                    .min(Comparator.comparingInt(this::load)
                            .thenComparing(node -> warmth(task, node), Comparator.reverseOrder())
                            .thenComparingInt(node -> pipelineCount(node, task.pipeline()))
                            .thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            put(task, best);
        }
        while (shiftAlongImprovingPath()) {
            // each shift lowers the sum of squared loads, so this ends
        }
        new WarmRedistribution(this).run();
    }

    // ---- used by WarmRedistribution ----

    List<TaskId> tasks()
    {
        return tasks;
    }

    String previousOwner(TaskId task)
    {
        return current.owners().get(task);
    }

    List<String> eligible(TaskId task)
    {
        return eligibleByPipeline.computeIfAbsent(task.pipeline(), pipeline -> nodes.stream()
                .filter(node -> node.canOwn(task))
                .map(NodeCandidate::nodeId)
                .sorted()
                .toList());
    }

    long warmth(TaskId task, String node)
    {
        Long offset = warmState.getOrDefault(task, Map.of()).get(node);
        return offset == null ? COLD : offset;
    }

    int load(String node)
    {
        return held.get(node).size();
    }

    int pipelineCount(String node, String pipeline)
    {
        TreeSet<TaskId> tasksOfNode = held.get(node);
        return tasksOfNode.subSet(new TaskId(pipeline, 0), true, new TaskId(pipeline, Integer.MAX_VALUE), true).size();
    }

    void put(TaskId task, String node)
    {
        String before = owners.put(task, node);
        if (before != null) {
            held.get(before).remove(task);
        }
        held.get(node).add(task);
    }

    void remove(TaskId task)
    {
        String before = owners.remove(task);
        if (before != null) {
            held.get(before).remove(task);
        }
    }

    /** Whether some chain of shifts could still lower a node's load by raising one at least two lower. */
    boolean hasImprovingPath()
    {
        if (loadSpread() < 2) {
            return false;
        }
        for (String source : held.keySet()) {
            if (findImprovingPath(source) != null) {
                return true;
            }
        }
        return false;
    }

    // ---- balancing ----

    private int loadSpread()
    {
        int max = held.values().stream().mapToInt(TreeSet::size).max().orElse(0);
        int min = held.values().stream().mapToInt(TreeSet::size).min().orElse(0);
        return max - min;
    }

    /**
     * Shifts one task along an improving path from a most-loaded node that has one. Among equally loaded
     * sources, the one whose first hand-over is cheapest (a task already moving) or warmest wins.
     */
    private boolean shiftAlongImprovingPath()
    {
        if (loadSpread() < 2) {
            return false;
        }
        List<String> sources = new ArrayList<>(held.keySet());
        sources.sort(Comparator.comparingInt(this::load).reversed().thenComparing(Comparator.naturalOrder()));
        List<String> bestPath = null;
        TaskId bestTask = null;
        for (String source : sources) {
            if (bestPath != null && load(source) < load(bestPath.get(0))) {
                break;
            }
            List<String> path = findImprovingPath(source);
            if (path == null) {
                continue;
            }
            TaskId first = taskToShift(path.get(0), path.get(1));
            if (bestPath == null || handOverCost(first, path.get(0), path.get(1)).compareTo(handOverCost(bestTask, bestPath.get(0), bestPath.get(1))) < 0) {
                bestPath = path;
                bestTask = first;
            }
        }
        if (bestPath == null) {
            return false;
        }
        for (int i = 0; i + 1 < bestPath.size(); i++) {
            put(taskToShift(bestPath.get(i), bestPath.get(i + 1)), bestPath.get(i + 1));
        }
        return true;
    }

    private HandOverCost handOverCost(TaskId task, String from, String to)
    {
        return new HandOverCost(to.equals(previousOwner(task)) ? 0 : from.equals(previousOwner(task)) ? 2 : 1, warmth(task, to));
    }

    /** Lower is better: 0 back to its current owner, 1 already moving, 2 leaving its current owner; then warmer. */
    private record HandOverCost(int movement, long warmth)
            implements Comparable<HandOverCost>
    {
        @Override
        public int compareTo(HandOverCost other)
        {
            int byMovement = Integer.compare(movement, other.movement);
            return byMovement != 0 ? byMovement : Long.compare(other.warmth, warmth);
        }
    }

    /**
     * Breadth-first from {@code source} over "holds a task the next node may own"; returns the chain to the
     * nearest (then least-loaded, then smallest id) node whose load is at least two below the source's, or null.
     */
    private List<String> findImprovingPath(String source)
    {
        int sourceLoad = load(source);
        Map<String, String> parent = new HashMap<>();
        parent.put(source, null);
        List<String> level = List.of(source);
        while (!level.isEmpty()) {
            List<String> nextLevel = new ArrayList<>();
            for (String node : level) {
                for (String next : reachableInOneShift(node)) {
                    if (!parent.containsKey(next)) {
                        parent.put(next, node);
                        nextLevel.add(next);
                    }
                }
            }
            String best = nextLevel.stream()
                    .filter(node -> load(node) <= sourceLoad - 2)
                    .min(Comparator.comparingInt(this::load).thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
            if (best != null) {
                List<String> path = new ArrayList<>();
                for (String node = best; node != null; node = parent.get(node)) {
                    path.add(0, node);
                }
                return path;
            }
            level = nextLevel;
        }
        return null;
    }

    private TreeSet<String> reachableInOneShift(String node)
    {
        TreeSet<String> reachable = new TreeSet<>();
        TreeSet<String> pipelines = new TreeSet<>();
        for (TaskId task : held.get(node)) {
            if (pipelines.add(task.pipeline())) {
                reachable.addAll(eligible(task));
            }
        }
        reachable.remove(node);
        return reachable;
    }

    /**
     * The task to hand from {@code from} to {@code to}. Preference: a task going back to its current owner, a
     * task already moving (not on its current owner), one warm on {@code to}, one warm on some less-loaded
     * node (so the moved task is one whose standby has warmed up), the pipeline {@code from} has most surplus
     * of relative to {@code to}, then task order.
     */
    private TaskId taskToShift(String from, String to)
    {
        int fromLoad = load(from);
        Comparator<TaskId> preference = Comparator.<TaskId>comparingInt(task -> to.equals(previousOwner(task)) ? 0 : 1)
                .thenComparingInt(task -> from.equals(previousOwner(task)) ? 1 : 0)
                .thenComparing(task -> warmth(task, to), Comparator.reverseOrder())
                .thenComparingInt(task -> warmOnLessLoaded(task, from, fromLoad) ? 0 : 1)
                .thenComparingInt(task -> pipelineCount(to, task.pipeline()) - pipelineCount(from, task.pipeline()))
                .thenComparing(Comparator.naturalOrder());
        return held.get(from).stream()
                .filter(task -> eligible(task).contains(to))
                .min(preference)
                .orElseThrow(() -> new IllegalStateException("no task of " + from + " can move to " + to));
    }

    private boolean warmOnLessLoaded(TaskId task, String from, int fromLoad)
    {
        for (String node : eligible(task)) {
            if (!node.equals(from) && load(node) < fromLoad && warmth(task, node) != COLD) {
                return true;
            }
        }
        return false;
    }
}
