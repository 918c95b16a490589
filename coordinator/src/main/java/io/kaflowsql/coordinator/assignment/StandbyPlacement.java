package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Chooses the standby nodes of every owned task: the standby half of {@link Assignor#assign}. Single use,
 * not thread-safe: build one per call.
 *
 * <p>Per task (in task order) up to {@code replicas} distinct nodes that could own the task, never its owner;
 * as many as there are such nodes. Every node has a standby budget of {@code ceil(standby slots / accepting
 * nodes)}. Candidates within budget come first, and among them: a node already standby for the task (sticky,
 * in its old order), then the warmest, then the one with fewest standbys so far, then node id. A node over
 * budget is used only when no candidate within budget is left; afterwards a repair pass hands standby slots
 * of over-budget nodes to under-budget nodes that may take them (non-sticky, coldest slots first). When no
 * such direct hand-over exists (a node over budget whose slots all sit on tasks the under-budget nodes own or
 * cannot own) a node may stay over budget.
 *
 * <p>The list of a task holds the standbys it had before first, in their old order, then new ones in order of
 * choice. Re-running on its own output (same owners and warm state) returns the same standbys when no node
 * ended over budget: each standby is then within budget at its task (the loads before each task are those of
 * the output), so all are kept, in their order.
 */
final class StandbyPlacement
{
    private final List<NodeCandidate> nodes;
    private final Map<TaskId, String> owners;
    private final Assignment current;
    private final Map<TaskId, Map<String, Long>> warmState;
    private final int replicas;
    private final Map<TaskId, List<String>> candidatesByTask = new TreeMap<>();
    private final Map<TaskId, List<String>> chosen = new TreeMap<>();
    private final Map<String, Integer> load = new TreeMap<>();
    private long budget;

    StandbyPlacement(List<NodeCandidate> sortedNodes, Map<TaskId, String> owners, Assignment current,
            Map<TaskId, Map<String, Long>> warmState, int replicas)
    {
        this.nodes = List.copyOf(requireNonNull(sortedNodes, "sortedNodes is null"));
        this.owners = new TreeMap<>(requireNonNull(owners, "owners is null"));
        this.current = requireNonNull(current, "current is null");
        this.warmState = requireNonNull(warmState, "warmState is null");
        this.replicas = replicas;
    }

    Map<TaskId, List<String>> place()
    {
        if (replicas == 0) {
            return Map.of();
        }
        long slots = 0;
        for (Map.Entry<TaskId, String> entry : owners.entrySet()) {
            TaskId task = entry.getKey();
            List<String> candidates = nodes.stream()
                    .filter(node -> node.canOwn(task) && !node.nodeId().equals(entry.getValue()))
                    .map(NodeCandidate::nodeId)
                    .toList();
            candidatesByTask.put(task, candidates);
            slots += Math.min(replicas, candidates.size());
        }
        long accepting = nodes.stream().filter(NodeCandidate::acceptsTasks).count();
        budget = accepting == 0 ? 0 : (slots + accepting - 1) / accepting;
        candidatesByTask.forEach(this::chooseGreedily);
        repairOverBudget();
        Map<TaskId, List<String>> result = new TreeMap<>();
        chosen.forEach((task, list) -> {
            if (!list.isEmpty()) {
                result.put(task, keptFirst(list, current.standbysOf(task)));
            }
        });
        return result;
    }

    private void chooseGreedily(TaskId task, List<String> candidates)
    {
        List<String> previous = current.standbysOf(task);
        List<String> remaining = new ArrayList<>(candidates);
        List<String> picks = new ArrayList<>();
        while (picks.size() < replicas && !remaining.isEmpty()) {
            String next = remaining.stream()
                    .min(Comparator.<String>comparingInt(node -> load(node) < budget ? 0 : 1)
                            .thenComparingInt(node -> previous.contains(node) ? previous.indexOf(node) : Integer.MAX_VALUE)
                            .thenComparing(node -> warmth(task, node), Comparator.reverseOrder())
                            .thenComparingInt(this::load)
                            .thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            remaining.remove(next);
            picks.add(next);
            load.merge(next, 1, Integer::sum);
        }
        chosen.put(task, picks);
    }

    /** Moves slots from over-budget nodes to under-budget ones, one direct hand-over at a time. */
    private void repairOverBudget()
    {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String over : new ArrayList<>(load.keySet())) {
                while (load(over) > budget && handOverOneSlot(over)) {
                    changed = true;
                }
            }
        }
    }

    private boolean handOverOneSlot(String over)
    {
        List<TaskId> slotsOfOver = chosen.entrySet().stream()
                .filter(entry -> entry.getValue().contains(over))
                .map(Map.Entry::getKey)
                .sorted(Comparator.<TaskId>comparingInt(task -> current.standbysOf(task).contains(over) ? 1 : 0)
                        .thenComparing(task -> warmth(task, over))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (TaskId task : slotsOfOver) {
            List<String> picks = chosen.get(task);
            String replacement = candidatesByTask.get(task).stream()
                    .filter(node -> load(node) < budget && !picks.contains(node))
                    .min(Comparator.<String, Long>comparing(node -> warmth(task, node), Comparator.reverseOrder())
                            .thenComparingInt(this::load)
                            .thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
            if (replacement != null) {
                picks.set(picks.indexOf(over), replacement);
                load.merge(over, -1, Integer::sum);
                load.merge(replacement, 1, Integer::sum);
                return true;
            }
        }
        return false;
    }

    /** Standbys kept from {@code previous} first, in their old order, then the new ones in order of choice. */
    private static List<String> keptFirst(List<String> picks, List<String> previous)
    {
        List<String> ordered = new ArrayList<>(previous.stream().filter(picks::contains).toList());
        picks.stream().filter(node -> !ordered.contains(node)).forEach(ordered::add);
        return List.copyOf(ordered);
    }

    private int load(String node)
    {
        return load.getOrDefault(node, 0);
    }

    private long warmth(TaskId task, String node)
    {
        Long offset = warmState.getOrDefault(task, Map.of()).get(node);
        return offset == null ? OwnerPlacement.COLD : offset;
    }
}
