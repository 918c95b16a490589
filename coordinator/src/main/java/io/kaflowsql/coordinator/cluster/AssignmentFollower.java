package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * One node's view of the assignment: applies records strictly in generation order and decides which tasks this
 * node should run now. Hand-over etiquette: a task newly given to this node whose previous owner is still a live
 * member and still reports it owned is held back until that owner releases it, or {@code handoverTimeout} passed
 * (then it is taken anyway: opening the task fences the old owner's transactions, so correctness never depends on
 * the wait). Tasks taken away are released at once.
 *
 * <p>Not thread-safe: confined to the coordinator thread.
 */
final class AssignmentFollower
{
    private record Handover(String previousOwner, long deadlineMillis) {}

    private final String nodeId;
    private final long handoverTimeoutMillis;
    private final Map<TaskId, Handover> handovers = new TreeMap<>();
    private AssignmentRecord applied = AssignmentRecord.INITIAL;

    AssignmentFollower(String nodeId, Duration handoverTimeout)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.handoverTimeoutMillis = handoverTimeout.toMillis();
    }

    AssignmentRecord applied()
    {
        return applied;
    }

    /**
     * Applies {@code record} if it is newer than the one applied.
     *
     * @return whether it was applied (false: stale or equal generation, ignored)
     */
    boolean offer(AssignmentRecord record, long nowMillis)
    {
        if (!record.isNewerThan(applied)) {
            return false;
        }
        AssignmentRecord previous = applied;
        applied = record;
        Set<TaskId> mine = assignedToMe();
        handovers.keySet().retainAll(mine);
        for (TaskId task : mine) {
            String previousOwner = previous.assignment().owners().get(task);
            if (previousOwner != null && !previousOwner.equals(nodeId) && !handovers.containsKey(task)) {
                handovers.put(task, new Handover(previousOwner, nowMillis + handoverTimeoutMillis));
            }
        }
        return true;
    }

    /** Tasks the applied record gives this node, hand-overs included. */
    Set<TaskId> assignedToMe()
    {
        Set<TaskId> mine = new TreeSet<>();
        applied.assignment().owners().forEach((task, owner) -> {
            if (owner.equals(nodeId)) {
                mine.add(task);
            }
        });
        return mine;
    }

    /**
     * Tasks to run now: those assigned here minus hand-overs still waiting for the previous owner's release.
     *
     * @param live statuses of live members by node id
     */
    Set<TaskId> runnable(Map<String, NodeStatus> live, long nowMillis)
    {
        Set<TaskId> runnable = assignedToMe();
        handovers.entrySet().removeIf(entry -> {
            Handover handover = entry.getValue();
            boolean stillHeld = Optional.ofNullable(live.get(handover.previousOwner()))
                    .map(status -> status.ownedTasks().contains(entry.getKey()))
                    .orElse(false);
            return !stillHeld || nowMillis >= handover.deadlineMillis();
        });
        runnable.removeAll(handovers.keySet());
        return runnable;
    }

    /** Task -> owner node, for the tasks this node keeps a standby copy of. */
    Map<TaskId, String> standbyDuties()
    {
        Map<TaskId, String> duties = new TreeMap<>();
        applied.assignment().standbys().forEach((task, nodes) -> {
            String owner = applied.assignment().owners().get(task);
            if (nodes.contains(nodeId) && owner != null && !owner.equals(nodeId)) {
                duties.put(task, owner);
            }
        });
        return duties;
    }
}
