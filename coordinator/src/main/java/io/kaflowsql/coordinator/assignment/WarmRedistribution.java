package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Step 4 of {@link OwnerPlacement}: once the balancing has decided how many moving tasks each node
 * receives, deals those tasks out again so each lands, where possible, on a node that already holds a warm
 * copy of its state (a standby), and otherwise on the node with fewest tasks of the same pipeline.
 * Movement is unchanged or lower (a task may land back on its current owner), per-node counts are unchanged.
 * If the greedy deal gets stuck (uneven eligibility) or would leave an improving path, the balancing's
 * placement is restored. Single use, not thread-safe.
 */
final class WarmRedistribution
{
    private final OwnerPlacement placement;

    WarmRedistribution(OwnerPlacement placement)
    {
        this.placement = requireNonNull(placement, "placement is null");
    }

    void run()
    {
        Map<TaskId, String> balanced = new TreeMap<>();
        Map<String, Integer> quota = new TreeMap<>();
        for (TaskId task : placement.tasks()) {
            String owner = placement.owners().get(task);
            if (owner != null && !owner.equals(placement.previousOwner(task))) {
                balanced.put(task, owner);
                quota.merge(owner, 1, Integer::sum);
            }
        }
        if (balanced.isEmpty()) {
            return;
        }
        balanced.keySet().forEach(placement::remove);
        if (!deal(new ArrayList<>(balanced.keySet()), quota) || placement.hasImprovingPath()) {
            balanced.keySet().forEach(placement::remove);
            balanced.forEach(placement::put);
        }
    }

    private boolean deal(List<TaskId> moving, Map<String, Integer> quota)
    {
        // back home first (less movement), then the warm ones, then the rest
        List<TaskId> left = new ArrayList<>();
        for (TaskId task : moving) {
            String home = placement.previousOwner(task);
            if (home != null && quota.getOrDefault(home, 0) > 0 && placement.eligible(task).contains(home)) {
                take(task, home, quota);
            }
            else {
                left.add(task);
            }
        }
        List<TaskId> cold = new ArrayList<>();
        for (TaskId task : left) {
            String warmest = placement.eligible(task).stream()
                    .filter(node -> quota.getOrDefault(node, 0) > 0 && placement.warmth(task, node) != OwnerPlacement.COLD)
                    .min(Comparator.<String, Long>comparing(node -> placement.warmth(task, node), Comparator.reverseOrder())
                            .thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
            if (warmest != null) {
                take(task, warmest, quota);
            }
            else {
                cold.add(task);
            }
        }
        for (TaskId task : cold) {
            String node = placement.eligible(task).stream()
                    .filter(candidate -> quota.getOrDefault(candidate, 0) > 0)
                    .min(Comparator.<String>comparingInt(candidate -> placement.pipelineCount(candidate, task.pipeline()))
                            .thenComparing(candidate -> -quota.get(candidate))
                            .thenComparing(Comparator.naturalOrder()))
                    .orElse(null);
            if (node == null) {
                return false;
            }
            take(task, node, quota);
        }
        return true;
    }

    private void take(TaskId task, String node, Map<String, Integer> quota)
    {
        placement.put(task, node);
        quota.merge(node, -1, Integer::sum);
    }
}
