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
 * node should run now. Hand-over etiquette, both sides:
 * <ul>
 *   <li>a task taken away from this node keeps running here until its next owner reports it restored ahead
 *       ({@link NodeStatus#preparedTasks}) or owned, or is gone, or half of {@code handoverTimeout} passed; so the
 *       next owner restores while this node still processes, and the hand-over itself is only a commit here and
 *       a fence plus the changelog tail there;</li>
 *   <li>a task newly given to this node whose previous owner is still a live member and still reports it owned is
 *       held back until that owner releases it, or {@code handoverTimeout} passed (then it is taken anyway: opening
 *       the task fences the old owner's transactions, so correctness never depends on the wait).</li>
 * </ul>
 *
 * <p>Not thread-safe: confined to the coordinator thread.
 */
final class AssignmentFollower
{
    private record Handover(String previousOwner, long deadlineMillis) {}

    private record Outgoing(String nextOwner, long deadlineMillis) {}

    private final String nodeId;
    private final long handoverTimeoutMillis;
    private final Map<TaskId, Handover> handovers = new TreeMap<>();
    private final Map<TaskId, Outgoing> outgoing = new TreeMap<>();
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
        outgoing.keySet().removeIf(task -> !nextOwner(task).isPresent());
        previous.assignment().owners().forEach((task, owner) -> {
            Optional<String> next = nextOwner(task);
            if (owner.equals(nodeId) && next.isPresent()) {
                long deadline = Optional.ofNullable(outgoing.get(task)).map(Outgoing::deadlineMillis).orElse(nowMillis + handoverTimeoutMillis / 2);
                outgoing.put(task, new Outgoing(next.get(), deadline));
            }
        });
        return true;
    }

    /** The node the applied record gives {@code task} to, if that is another node. */
    private Optional<String> nextOwner(TaskId task)
    {
        return Optional.ofNullable(applied.assignment().owners().get(task)).filter(owner -> !owner.equals(nodeId));
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
     * Tasks to run now: those assigned here minus hand-overs still waiting for the previous owner's release, plus
     * tasks taken away that still run here while their next owner restores them ahead.
     *
     * @param live statuses of live members by node id
     * @param runningHere tasks open on this node now (only those are kept running; none is opened for a hold)
     */
    Set<TaskId> runnable(Map<String, NodeStatus> live, Set<TaskId> runningHere, long nowMillis)
    {
        outgoing.entrySet().removeIf(entry -> {
            NodeStatus next = live.get(entry.getValue().nextOwner());
            boolean nextReady = next == null || next.preparedTasks().contains(entry.getKey()) || next.ownedTasks().contains(entry.getKey());
            return nextReady || !runningHere.contains(entry.getKey()) || nowMillis >= entry.getValue().deadlineMillis();
        });
        Set<TaskId> runnable = assignedToMe();
        handovers.entrySet().removeIf(entry -> {
            Handover handover = entry.getValue();
            boolean stillHeld = Optional.ofNullable(live.get(handover.previousOwner()))
                    .map(status -> status.ownedTasks().contains(entry.getKey()))
                    .orElse(false);
            return !stillHeld || nowMillis >= handover.deadlineMillis();
        });
        runnable.removeAll(handovers.keySet());
        runnable.addAll(outgoing.keySet());
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
