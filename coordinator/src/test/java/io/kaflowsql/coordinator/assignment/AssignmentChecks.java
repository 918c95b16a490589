package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invariants every output of {@link Assignor#assign} must satisfy, and the minimal-movement bound, computed
 * independently of the assignor. {@code context} (seed, case) goes into every failure message.
 */
final class AssignmentChecks
{
    private AssignmentChecks() {}

    static void checkInvariants(AssignmentInput input, Assignment result, String context)
    {
        Map<String, NodeCandidate> nodes = new TreeMap<>();
        input.nodes().forEach(node -> nodes.put(node.nodeId(), node));
        assertThat(input.tasks()).as("owned tasks are input tasks: %s", context).containsAll(result.owners().keySet());
        for (TaskId task : input.tasks()) {
            boolean ownable = nodes.values().stream().anyMatch(node -> node.canOwn(task));
            String owner = result.owners().get(task);
            assertThat(owner != null).as("task %s owned iff some node can own it: %s", task, context).isEqualTo(ownable);
            if (owner != null) {
                assertThat(nodes.get(owner)).as("owner of %s is a live node: %s", task, context).isNotNull();
                assertThat(nodes.get(owner).canOwn(task)).as("owner of %s can own it: %s", task, context).isTrue();
            }
        }
        assertThat(result.owners().keySet()).as("standbys only for owned tasks: %s", context).containsAll(result.standbys().keySet());
        result.owners().forEach((task, owner) -> {
            List<String> standbys = result.standbysOf(task);
            long eligibleOthers = nodes.values().stream().filter(node -> node.canOwn(task) && !node.nodeId().equals(owner)).count();
            assertThat(standbys).as("standbys of %s: %s", task, context)
                    .doesNotContain(owner)
                    .doesNotHaveDuplicates()
                    .hasSize((int) Math.min(input.standbyReplicas(), eligibleOthers));
            standbys.forEach(node -> assertThat(nodes.get(node).canOwn(task)).as("standby %s of %s can own it: %s", node, task, context).isTrue());
        });
        checkBalance(input, result, context);
    }

    /** No node could hand a task directly to a node owning two fewer that can own it; uniform: within one. */
    static void checkBalance(AssignmentInput input, Assignment result, String context)
    {
        Map<String, Integer> load = loads(input, result);
        for (NodeCandidate from : input.nodes()) {
            for (NodeCandidate to : input.nodes()) {
                if (!from.acceptsTasks() || !to.acceptsTasks() || load.get(from.nodeId()) < load.get(to.nodeId()) + 2) {
                    continue;
                }
                result.owners().forEach((task, owner) -> assertThat(owner.equals(from.nodeId()) && to.canOwn(task))
                        .as("%s (load %s) holds %s which %s (load %s) could take: %s", from.nodeId(), load.get(from.nodeId()), task,
                                to.nodeId(), load.get(to.nodeId()), context)
                        .isFalse());
            }
        }
        if (uniform(input) && !load.isEmpty()) {
            int max = load.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            int min = load.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
            assertThat(max - min).as("uniform cluster balanced within one %s: %s", load, context).isLessThanOrEqualTo(1);
        }
    }

    /** Owned-task count per accepting node (zero included). */
    static Map<String, Integer> loads(AssignmentInput input, Assignment result)
    {
        Map<String, Integer> load = new TreeMap<>();
        input.nodes().stream().filter(NodeCandidate::acceptsTasks).forEach(node -> load.put(node.nodeId(), 0));
        result.owners().values().forEach(owner -> load.merge(owner, 1, Integer::sum));
        return load;
    }

    /** Every accepting node can own every input task. */
    static boolean uniform(AssignmentInput input)
    {
        return input.nodes().stream().filter(NodeCandidate::acceptsTasks)
                .allMatch(node -> input.tasks().stream().allMatch(node::canOwn));
    }

    static int moved(AssignmentInput input, Assignment result)
    {
        int moved = 0;
        for (Map.Entry<TaskId, String> entry : result.owners().entrySet()) {
            if (!Objects.equals(input.current().owners().get(entry.getKey()), entry.getValue())) {
                moved++;
            }
        }
        return moved;
    }

    /**
     * Uniform cluster: the fewest owner changes of any balanced assignment. Tasks without a usable owner must
     * move; each node keeps at most its target count, targets (floor or ceil of the mean) chosen to favour
     * the nodes that keep most.
     */
    static int minimalMovement(AssignmentInput input)
    {
        List<String> accepting = input.nodes().stream().filter(NodeCandidate::acceptsTasks).map(NodeCandidate::nodeId).toList();
        if (accepting.isEmpty() || input.tasks().isEmpty()) {
            return 0;
        }
        Map<String, Integer> kept = new TreeMap<>();
        accepting.forEach(node -> kept.put(node, 0));
        int orphans = 0;
        for (TaskId task : input.tasks()) {
            String owner = input.current().owners().get(task);
            if (owner != null && kept.containsKey(owner)) {
                kept.merge(owner, 1, Integer::sum);
            }
            else {
                orphans++;
            }
        }
        int total = input.tasks().size();
        int floor = total / accepting.size();
        int ceilCount = total % accepting.size();
        List<Integer> keptDescending = new ArrayList<>(kept.values());
        keptDescending.sort((a, b) -> Integer.compare(b, a));
        int surplus = 0;
        for (int i = 0; i < keptDescending.size(); i++) {
            int target = i < ceilCount ? floor + 1 : floor;
            surplus += Math.max(0, keptDescending.get(i) - target);
        }
        return orphans + surplus;
    }

    static AssignmentInput withCurrent(AssignmentInput input, Assignment current)
    {
        return new AssignmentInput(input.nodes(), input.tasks(), current, input.warmState(), input.standbyReplicas());
    }

    static AssignmentInput withNodes(AssignmentInput input, List<NodeCandidate> nodes)
    {
        return new AssignmentInput(nodes, input.tasks(), input.current(), input.warmState(), input.standbyReplicas());
    }

    static boolean distinctIds(List<NodeCandidate> nodes)
    {
        return new HashSet<>(nodes.stream().map(NodeCandidate::nodeId).toList()).size() == nodes.size();
    }
}
