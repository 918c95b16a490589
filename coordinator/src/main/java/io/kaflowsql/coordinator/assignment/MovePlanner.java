package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Turns a target assignment into the next assignment to publish on the way to it. Pure and stateless
 * (thread-safe); the leader calls it again whenever readiness changes, until it returns the target.
 *
 * <p>Why stage at all: a <b>planned move</b> (scale-out, rebalance, drain) has a live owner that can keep
 * processing. Handing over at once would make the receiver restore from scratch (fetch a checkpoint, replay
 * the changelog) while nobody processes the partition. So the receiver is first made a standby: it warms a
 * copy while the old owner keeps going, and only when it is ready to take over (its copy near the changelog
 * head) does ownership switch, so the hand-over gap is small. A <b>fail-over</b> cannot wait: an owner that
 * is gone has nothing to hand over, so its tasks move to the target owner at once.
 *
 * <p>Rules of {@link #stage}, per task owned in {@code target} (tasks unowned in the target are dropped):
 * <ul>
 * <li>no current owner, the same owner, a current owner not in {@code liveNodes}, or a target owner in
 *     {@code readyToTakeOver.get(task)}: the target owner and target standbys, now;</li>
 * <li>otherwise the current (live, possibly draining) owner stays, and the standbys are the target owner
 *     first, then the target standbys, without duplicates and never the owner.</li>
 * </ul>
 * Owners not in {@code liveNodes} are therefore never kept. Iterating with {@code readyToTakeOver} holding each
 * task's standbys reaches the target in at most two steps.
 */
public final class MovePlanner
{
    private MovePlanner() {}

    /**
     * @param liveNodes nodes that are members now (a gone owner cannot hand over: its tasks move at once)
     * @param readyToTakeOver task -> nodes holding a warm copy of it, fresh enough to take it over now
     */
    public static Assignment stage(Assignment current, Assignment target, Set<String> liveNodes, Map<TaskId, Set<String>> readyToTakeOver)
    {
        requireNonNull(current, "current is null");
        requireNonNull(target, "target is null");
        requireNonNull(liveNodes, "liveNodes is null");
        requireNonNull(readyToTakeOver, "readyToTakeOver is null");
        Map<TaskId, String> owners = new TreeMap<>();
        Map<TaskId, List<String>> standbys = new TreeMap<>();
        target.owners().forEach((task, targetOwner) -> {
            String currentOwner = current.owners().get(task);
            boolean handOverLater = currentOwner != null
                    && !currentOwner.equals(targetOwner)
                    && liveNodes.contains(currentOwner)
                    && !readyToTakeOver.getOrDefault(task, Set.of()).contains(targetOwner);
            String owner = handOverLater ? currentOwner : targetOwner;
            List<String> wanted = new ArrayList<>();
            if (handOverLater) {
                wanted.add(targetOwner);
            }
            wanted.addAll(target.standbysOf(task));
            owners.put(task, owner);
            standbys.put(task, wanted.stream().filter(node -> !node.equals(owner)).distinct().toList());
        });
        return new Assignment(owners, standbys);
    }
}
