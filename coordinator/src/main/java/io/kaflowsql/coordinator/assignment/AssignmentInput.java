package io.kaflowsql.coordinator.assignment;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything {@link Assignor#assign} looks at.
 *
 * @param nodes the live nodes
 * @param tasks every task that must have an owner
 * @param current the assignment in force (may name nodes that are gone)
 * @param warmState task -> (node -> changelog offset of the newest state copy that node holds); higher is warmer
 * @param standbyReplicas standby copies wanted per task (config {@code standby.replicas})
 */
public record AssignmentInput(List<NodeCandidate> nodes, Set<TaskId> tasks, Assignment current, Map<TaskId, Map<String, Long>> warmState,
        int standbyReplicas)
{
    public AssignmentInput
    {
        nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        tasks = Set.copyOf(requireNonNull(tasks, "tasks is null"));
        requireNonNull(current, "current is null");
        warmState = Map.copyOf(requireNonNull(warmState, "warmState is null"));
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standbyReplicas must not be negative: " + standbyReplicas);
        }
    }
}
