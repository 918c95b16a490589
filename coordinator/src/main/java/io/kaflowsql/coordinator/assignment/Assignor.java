package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The pure assignment function: (nodes, tasks, current assignment, warm state) -> target assignment.
 * The leader runs it on every membership, readiness or task change; {@link MovePlanner} then stages the way
 * there. No I/O, no clock, no randomness: the same input gives the same output (nodes are taken in id
 * order, tasks in {@link TaskId} order, never in a hash order). Thread-safe (stateless).
 *
 * <p>Guarantees of {@link #assign}:
 * <ul>
 * <li><b>coverage</b>: every task of {@code input.tasks()} that some node {@link NodeCandidate#canOwn can own}
 *     has exactly one owner, and that owner can own it; a task no node can own is left unowned; tasks not in
 *     {@code input.tasks()} are dropped. A draining node ({@code acceptsTasks == false}) owns and stands by for
 *     nothing.</li>
 * <li><b>balance</b>: no node could shed a task, directly or through a chain of nodes each handing one task
 *     to the next, to a node owning at least two fewer. When every accepting node can own every task this
 *     means owned-task counts differ by at most one; otherwise the largest count is as small as readiness
 *     allows.</li>
 * <li><b>stickiness</b>: a task whose current owner can still own it moves only if balance needs it. When
 *     every accepting node can own every task, the number of tasks changing owner is the minimum any balanced
 *     assignment needs: the tasks without a usable owner plus each node's surplus above its target count,
 *     the larger targets going to the nodes keeping the most tasks. So a join moves only the surplus, and a
 *     leave from a balanced cluster moves only the departed node's tasks.</li>
 * <li><b>stability</b>: fed its own output as {@code current} (same nodes, tasks, warm state) it returns that
 *     output unchanged.</li>
 * <li><b>warm preference</b>: a task that changes owner goes, among the nodes that balance lets receive it,
 *     to the one with the highest {@code warmState} offset for it; an overloaded node gives away first the
 *     tasks that an under-loaded node holds warm, so a move staged by {@link MovePlanner} (which warms the
 *     receiver first) is the one chosen again on the next run.</li>
 * <li><b>per-pipeline spread</b> (best effort, never at the cost of movement or warmth): ties go to the node
 *     with fewest tasks of the same pipeline, so a fresh assignment spreads each pipeline within one.</li>
 * <li><b>standbys</b>: up to {@code standbyReplicas} distinct nodes per owned task, each able to own it, never
 *     its owner; sticky, then warmest, then least standby load, within a per-node budget of
 *     {@code ceil(slots / accepting nodes)} (best effort where readiness is uneven).</li>
 * </ul>
 */
public final class Assignor
{
    private static final int MAX_STANDBY_ROUNDS = 8;

    private Assignor() {}

    /**
     * @throws IllegalArgumentException if two nodes share an id
     */
    public static Assignment assign(AssignmentInput input)
    {
        requireNonNull(input, "input is null");
        List<NodeCandidate> nodes = new ArrayList<>(input.nodes());
        nodes.sort(Comparator.comparing(NodeCandidate::nodeId));
        Set<String> ids = new HashSet<>();
        for (NodeCandidate node : nodes) {
            if (!ids.add(node.nodeId())) {
                throw new IllegalArgumentException("duplicate node id: " + node.nodeId());
            }
        }
        List<TaskId> tasks = input.tasks().stream().sorted().toList();
        OwnerPlacement placement = new OwnerPlacement(nodes, tasks, input.current(), input.warmState());
        placement.place();
        Map<TaskId, String> owners = placement.owners();
        return new Assignment(owners, settledStandbys(nodes, owners, input));
    }

    /**
     * Standbys placed again with the previous result as history until they stop changing (almost always on
     * the second round), so that feeding the output back in returns it unchanged even where uneven readiness
     * left a node over its standby budget. Bounded; without a settle the last round is returned.
     */
    private static Map<TaskId, List<String>> settledStandbys(List<NodeCandidate> nodes, Map<TaskId, String> owners, AssignmentInput input)
    {
        Map<TaskId, List<String>> standbys = new StandbyPlacement(nodes, owners, input.current(), input.warmState(), input.standbyReplicas()).place();
        for (int round = 0; round < MAX_STANDBY_ROUNDS; round++) {
            Map<TaskId, List<String>> again = new StandbyPlacement(nodes, owners, new Assignment(owners, standbys), input.warmState(), input.standbyReplicas()).place();
            if (again.equals(standbys)) {
                break;
            }
            standbys = again;
        }
        return standbys;
    }
}
