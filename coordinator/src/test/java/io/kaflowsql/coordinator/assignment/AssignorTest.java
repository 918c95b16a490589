package io.kaflowsql.coordinator.assignment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kaflowsql.coordinator.assignment.AssignmentChecks.checkInvariants;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.loads;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.moved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssignorTest
{
    private static final Set<String> ORDERS = Set.of("orders");

    @Test
    void freshClusterSpreadsTasksEvenlyAndEachPipelineWithinOne()
    {
        List<NodeCandidate> nodes = List.of(ready("a", "p", "q"), ready("b", "p", "q"), ready("c", "p", "q"));
        Set<TaskId> tasks = new TreeSet<>();
        tasks.addAll(tasks("p", 4));
        tasks.addAll(tasks("q", 5));
        AssignmentInput input = new AssignmentInput(nodes, tasks, Assignment.EMPTY, Map.of(), 1);

        Assignment result = Assignor.assign(input);

        checkInvariants(input, result, "fresh");
        assertThat(loads(input, result).values()).containsOnly(3);
        for (String pipeline : List.of("p", "q")) {
            Map<String, Integer> perNode = new TreeMap<>(Map.of("a", 0, "b", 0, "c", 0));
            result.owners().forEach((task, owner) -> {
                if (task.pipeline().equals(pipeline)) {
                    perNode.merge(owner, 1, Integer::sum);
                }
            });
            assertThat(Collections.max(perNode.values()) - Collections.min(perNode.values())).as("pipeline %s: %s", pipeline, perNode).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void joiningNodeTakesOnlyTheSurplus()
    {
        AssignmentInput two = new AssignmentInput(List.of(ready("a"), ready("b")), tasks("orders", 6), Assignment.EMPTY, Map.of(), 0);
        Assignment before = Assignor.assign(two);
        AssignmentInput three = new AssignmentInput(List.of(ready("a"), ready("b"), ready("c")), two.tasks(), before, Map.of(), 0);

        Assignment after = Assignor.assign(three);

        checkInvariants(three, after, "join");
        assertThat(moved(three, after)).isEqualTo(2);
        assertThat(loads(three, after)).containsEntry("a", 2).containsEntry("b", 2).containsEntry("c", 2);
        after.owners().forEach((task, owner) -> assertThat(owner.equals("c") || owner.equals(before.owners().get(task))).isTrue());
    }

    @Test
    void leavingNodesTasksAreTheOnlyOnesThatMove()
    {
        AssignmentInput three = new AssignmentInput(List.of(ready("a"), ready("b"), ready("c")), tasks("orders", 7), Assignment.EMPTY, Map.of(), 0);
        Assignment before = Assignor.assign(three);
        AssignmentInput two = new AssignmentInput(List.of(ready("a"), ready("c")), three.tasks(), before, Map.of(), 0);

        Assignment after = Assignor.assign(two);

        checkInvariants(two, after, "leave");
        after.owners().forEach((task, owner) -> {
            if (!before.owners().get(task).equals("b")) {
                assertThat(owner).as("task %s not on the departed node stays", task).isEqualTo(before.owners().get(task));
            }
        });
        assertThat(loads(two, after).values()).containsExactlyInAnyOrder(3, 4);
    }

    @Test
    void drainingNodeOwnsNothingAndStandsByForNothing()
    {
        AssignmentInput before = new AssignmentInput(List.of(ready("a"), ready("b")), tasks("orders", 4), Assignment.EMPTY, Map.of(), 1);
        Assignment current = Assignor.assign(before);
        AssignmentInput draining = new AssignmentInput(List.of(ready("a"), new NodeCandidate("b", ORDERS, false)), before.tasks(), current, Map.of(), 1);

        Assignment after = Assignor.assign(draining);

        checkInvariants(draining, after, "drain");
        assertThat(after.owners().values()).containsOnly("a");
        assertThat(after.standbys()).isEmpty();
    }

    @Test
    void nodeWithoutReadyDimensionsGetsNoTaskOfThatPipeline()
    {
        List<NodeCandidate> nodes = List.of(ready("a", "p", "q"), ready("b", "q"));
        Set<TaskId> tasks = new TreeSet<>(tasks("p", 3));
        tasks.addAll(tasks("q", 3));
        tasks.add(new TaskId("r", 0));
        AssignmentInput input = new AssignmentInput(nodes, tasks, Assignment.EMPTY, Map.of(), 1);

        Assignment result = Assignor.assign(input);

        checkInvariants(input, result, "readiness");
        result.owners().forEach((task, owner) -> {
            if (task.pipeline().equals("p")) {
                assertThat(owner).isEqualTo("a");
            }
        });
        assertThat(result.owners()).doesNotContainKey(new TaskId("r", 0));
        // a owns the 3 p tasks, so b takes all 3 q tasks
        assertThat(loads(input, result)).containsEntry("a", 3).containsEntry("b", 3);
        assertThat(result.standbysOf(new TaskId("p", 0))).isEmpty();
        assertThat(result.standbysOf(new TaskId("q", 0))).containsExactly("a");
    }

    @Test
    void balancesThroughAChainWhenNoDirectMoveHelps()
    {
        // a only runs p, c only runs q, b runs both: c can only relieve a through b
        List<NodeCandidate> nodes = List.of(ready("a", "p"), ready("b", "p", "q"), ready("c", "q"));
        Set<TaskId> tasks = new TreeSet<>(tasks("p", 3));
        tasks.addAll(tasks("q", 3));
        Map<TaskId, String> owners = new TreeMap<>();
        tasks("p", 3).forEach(task -> owners.put(task, "b"));
        tasks("q", 3).forEach(task -> owners.put(task, "b"));
        AssignmentInput input = new AssignmentInput(nodes, tasks, new Assignment(owners, Map.of()), Map.of(), 0);

        Assignment result = Assignor.assign(input);

        checkInvariants(input, result, "chain");
        assertThat(loads(input, result).values()).containsOnly(2);
        assertThat(moved(input, result)).isEqualTo(4);
    }

    @Test
    void failedOverTaskGoesToItsWarmStandby()
    {
        Map<TaskId, String> owners = new TreeMap<>();
        owners.put(new TaskId("orders", 0), "a");
        owners.put(new TaskId("orders", 1), "b");
        owners.put(new TaskId("orders", 2), "c");
        owners.put(new TaskId("orders", 3), "gone");
        Map<TaskId, Map<String, Long>> warm = Map.of(new TaskId("orders", 3), Map.of("a", 10L, "c", 500L));
        AssignmentInput input = new AssignmentInput(List.of(ready("a"), ready("b"), ready("c")), tasks("orders", 4),
                new Assignment(owners, Map.of()), warm, 0);

        Assignment result = Assignor.assign(input);

        assertThat(result.owners()).containsEntry(new TaskId("orders", 3), "c");
        assertThat(moved(input, result)).isEqualTo(1);
    }

    @Test
    void overloadedNodeGivesAwayTheTaskTheNewcomerHoldsWarm()
    {
        AssignmentInput two = new AssignmentInput(List.of(ready("a"), ready("b")), tasks("orders", 4), Assignment.EMPTY, Map.of(), 0);
        Assignment before = Assignor.assign(two);
        TaskId warmTask = before.owners().entrySet().stream().filter(entry -> entry.getValue().equals("b"))
                .map(Map.Entry::getKey).reduce((first, second) -> second).orElseThrow();
        AssignmentInput three = new AssignmentInput(List.of(ready("a"), ready("b"), ready("c")), two.tasks(), before,
                Map.of(warmTask, Map.of("c", 42L)), 0);

        Assignment after = Assignor.assign(three);

        assertThat(after.owners()).containsEntry(warmTask, "c");
        assertThat(moved(three, after)).isEqualTo(1);
    }

    @Test
    void standbysAreStickyThenWarmestAndSpreadEvenly()
    {
        List<NodeCandidate> nodes = List.of(ready("a"), ready("b"), ready("c"), ready("d"));
        Set<TaskId> tasks = tasks("orders", 8);
        AssignmentInput fresh = new AssignmentInput(nodes, tasks, Assignment.EMPTY, Map.of(), 2);
        Assignment first = Assignor.assign(fresh);
        checkInvariants(fresh, first, "standbys");
        Map<String, Integer> standbyLoad = new TreeMap<>();
        first.standbys().values().forEach(list -> list.forEach(node -> standbyLoad.merge(node, 1, Integer::sum)));
        assertThat(standbyLoad.values()).containsOnly(4);

        TaskId task = new TaskId("orders", 0);
        String owner = first.owners().get(task);
        String cold = nodes.stream().map(NodeCandidate::nodeId).filter(node -> !node.equals(owner) && !first.standbysOf(task).contains(node))
                .findFirst().orElseThrow();
        Map<TaskId, Map<String, Long>> warm = Map.of(task, Map.of(cold, 1_000L));
        Assignment again = Assignor.assign(new AssignmentInput(nodes, tasks, first, warm, 2));
        assertThat(again.standbysOf(task)).as("sticky beats a warm newcomer").isEqualTo(first.standbysOf(task));

        Assignment noHistory = Assignor.assign(new AssignmentInput(nodes, tasks, new Assignment(first.owners(), Map.of()), warm, 2));
        assertThat(noHistory.standbysOf(task)).as("without history the warmest comes first").startsWith(cold);
    }

    @Test
    void sameInputInAnyOrderGivesTheSameAssignment()
    {
        List<NodeCandidate> nodes = new ArrayList<>(List.of(ready("a", "p", "q"), ready("b", "p"), ready("c", "q"), ready("d", "p", "q")));
        Set<TaskId> tasks = new TreeSet<>(tasks("p", 7));
        tasks.addAll(tasks("q", 5));
        Map<TaskId, Map<String, Long>> warm = Map.of(new TaskId("p", 3), Map.of("b", 7L, "d", 9L));
        Assignment expected = Assignor.assign(new AssignmentInput(nodes, tasks, Assignment.EMPTY, warm, 1));
        for (int i = 0; i < 10; i++) {
            Collections.rotate(nodes, 1);
            Assignment result = Assignor.assign(new AssignmentInput(nodes, new java.util.HashSet<>(tasks), Assignment.EMPTY, new java.util.HashMap<>(warm), 1));
            assertThat(result).isEqualTo(expected);
        }
    }

    @Test
    void tasksNoLongerWantedAreDroppedAndDeadNodesIgnored()
    {
        Map<TaskId, String> owners = Map.of(new TaskId("old", 0), "a", new TaskId("orders", 0), "gone");
        Map<TaskId, List<String>> standbys = Map.of(new TaskId("orders", 0), List.of("gone", "b"));
        AssignmentInput input = new AssignmentInput(List.of(ready("a"), ready("b")), tasks("orders", 1), new Assignment(owners, standbys), Map.of(), 1);

        Assignment result = Assignor.assign(input);

        assertThat(result.owners()).containsOnlyKeys(new TaskId("orders", 0));
        checkInvariants(input, result, "dropped");
    }

    @Test
    void rejectsDuplicateNodeIds()
    {
        AssignmentInput input = new AssignmentInput(List.of(ready("a"), ready("a")), tasks("orders", 1), Assignment.EMPTY, Map.of(), 0);
        assertThatThrownBy(() -> Assignor.assign(input)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate node id: a");
    }

    static NodeCandidate ready(String id, String... pipelines)
    {
        return new NodeCandidate(id, pipelines.length == 0 ? ORDERS : Set.of(pipelines), true);
    }

    static Set<TaskId> tasks(String pipeline, int count)
    {
        Set<TaskId> tasks = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            tasks.add(new TaskId(pipeline, i));
        }
        return tasks;
    }
}
