package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.AssignmentInput;
import io.kaflowsql.coordinator.assignment.Assignor;
import io.kaflowsql.coordinator.assignment.MovePlanner;
import io.kaflowsql.coordinator.assignment.NodeCandidate;
import io.kaflowsql.coordinator.assignment.TaskId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's decision, a pure function of the live nodes' statuses and the assignment in force: builds the
 * input of {@link Assignor#assign}, stages the target with {@link MovePlanner#stage} and says whether there is a
 * new record to publish. No I/O; deterministic (statuses are taken in node-id order).
 */
final class LeaderPlanner
{
    private LeaderPlanner() {}

    /**
     * @param live statuses of the live members (non-members already dropped)
     * @param current the newest record known (stored or applied, whichever has the higher generation)
     * @return the record to publish, or empty if the staged assignment equals the current one
     */
    static Optional<AssignmentRecord> next(String leaderNodeId, List<NodeStatus> live, AssignmentRecord current, int standbyReplicas)
    {
        List<NodeStatus> statuses = sorted(live);
        Assignment target = Assignor.assign(input(statuses, current.assignment(), standbyReplicas));
        Set<String> liveNodes = new TreeSet<>();
        statuses.forEach(status -> liveNodes.add(status.nodeId()));
        Assignment staged = MovePlanner.stage(current.assignment(), target, liveNodes, readyToTakeOver(statuses, current.assignment()));
        if (staged.equals(current.assignment())) {
            return Optional.empty();
        }
        return Optional.of(new AssignmentRecord(current.generation() + 1, leaderNodeId, staged, List.copyOf(liveNodes)));
    }

    static AssignmentInput input(List<NodeStatus> live, Assignment current, int standbyReplicas)
    {
        List<NodeCandidate> candidates = new ArrayList<>();
        Set<TaskId> tasks = new TreeSet<>();
        Map<TaskId, Map<String, Long>> warmState = new TreeMap<>();
        for (NodeStatus status : sorted(live)) {
            candidates.add(new NodeCandidate(status.nodeId(), status.readyPipelines(), status.lifecycle().acceptsTasks()));
            tasks.addAll(status.knownTasks());
            status.warmTasks().forEach((task, offset) -> warmState.computeIfAbsent(task, ignored -> new TreeMap<>()).put(status.nodeId(), offset));
        }
        return new AssignmentInput(candidates, tasks, current, warmState, standbyReplicas);
    }

    /** Task -> nodes that hold a warm copy of it and were named its standby in the current assignment. */
    static Map<TaskId, Set<String>> readyToTakeOver(List<NodeStatus> live, Assignment current)
    {
        Map<TaskId, Set<String>> ready = new TreeMap<>();
        for (NodeStatus status : sorted(live)) {
            for (TaskId task : status.warmTasks().keySet()) {
                if (current.standbysOf(task).contains(status.nodeId())) {
                    ready.computeIfAbsent(task, ignored -> new TreeSet<>()).add(status.nodeId());
                }
            }
        }
        return ready;
    }

    private static List<NodeStatus> sorted(List<NodeStatus> statuses)
    {
        List<NodeStatus> copy = new ArrayList<>(statuses);
        copy.sort(Comparator.comparing(NodeStatus::nodeId));
        return copy;
    }

    /** Statuses by node id. */
    static Map<String, NodeStatus> byNodeId(List<NodeStatus> statuses)
    {
        Map<String, NodeStatus> map = new HashMap<>();
        statuses.forEach(status -> map.put(status.nodeId(), status));
        return map;
    }
}
