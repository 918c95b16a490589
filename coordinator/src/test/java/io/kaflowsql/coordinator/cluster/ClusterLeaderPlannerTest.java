package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.AssignmentInput;
import io.kaflowsql.coordinator.assignment.Assignor;
import io.kaflowsql.coordinator.assignment.MovePlanner;
import io.kaflowsql.coordinator.assignment.NodeCandidate;
import io.kaflowsql.coordinator.assignment.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's inputs to the assignment functions. Expectations are computed with the same functions, so these
 * tests hold whatever {@link Assignor} and {@link MovePlanner} decide.
 */
class ClusterLeaderPlannerTest
{
    private static final TaskId O0 = new TaskId("orders", 0);
    private static final TaskId O1 = new TaskId("orders", 1);
    private static final TaskId C0 = new TaskId("clicks", 0);

    @Test
    void buildsCandidatesTasksAndWarmStateFromStatuses()
    {
        NodeStatus a = status("a", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), Map.of(O1, 40L));
        NodeStatus b = status("b", NodeLifecycle.BOOTSTRAPPING, Map.of("orders", 2, "clicks", 1), Set.of(), Map.of(O1, 50L, O0, 7L));

        AssignmentInput input = LeaderPlanner.input(List.of(b, a), Assignment.EMPTY, 1);

        assertThat(input.nodes()).containsExactly(new NodeCandidate("a", Set.of("orders"), true), new NodeCandidate("b", Set.of(), false));
        assertThat(input.tasks()).containsExactlyInAnyOrder(O0, O1, C0);
        assertThat(input.warmState()).isEqualTo(Map.of(O1, Map.of("a", 40L, "b", 50L), O0, Map.of("b", 7L)));
        assertThat(input.standbyReplicas()).isEqualTo(1);
    }

    @Test
    void readyToTakeOverNeedsAWarmCopyAndTheStandbyRole()
    {
        NodeStatus a = status("a", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), Map.of(O0, 10L));
        NodeStatus b = status("b", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), Map.of(O0, 10L, O1, 10L));
        Assignment current = new Assignment(Map.of(O0, "c", O1, "a"), Map.of(O0, List.of("b"), O1, List.of("a")));

        assertThat(LeaderPlanner.readyToTakeOver(List.of(a, b), current)).isEqualTo(Map.of(O0, Set.of("b")));
    }

    @Test
    void publishesTheStagedAssignmentWithTheNextGenerationOnlyWhenItChanges()
    {
        List<NodeStatus> live = List.of(status("a", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), Map.of()),
                status("b", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), Map.of()));
        AssignmentRecord empty = new AssignmentRecord(4, "a", Assignment.EMPTY, List.of());
        Assignment expected = MovePlanner.stage(Assignment.EMPTY, Assignor.assign(LeaderPlanner.input(live, Assignment.EMPTY, 1)),
                Set.of("a", "b"), Map.of());

        AssignmentRecord next = LeaderPlanner.next("a", live, empty, 1).orElseThrow();

        assertThat(next.generation()).isEqualTo(5);
        assertThat(next.leaderNodeId()).isEqualTo("a");
        assertThat(next.members()).containsExactly("a", "b");
        assertThat(next.assignment()).isEqualTo(expected);
        assertThat(next.assignment().owners()).isNotEmpty();
        // a settled assignment (the function's own fixed point) is not republished
        AssignmentRecord settled = next;
        for (int i = 0; i < 5; i++) {
            var again = LeaderPlanner.next("a", live, settled, 1);
            if (again.isEmpty()) {
                return;
            }
            settled = again.get();
        }
        throw new AssertionError("the leader kept publishing an unchanged cluster");
    }

    private static NodeStatus status(String nodeId, NodeLifecycle lifecycle, Map<String, Integer> counts, Set<String> ready,
            Map<TaskId, Long> warm)
    {
        return new NodeStatus(nodeId, UUID.randomUUID(), nodeId + ":7001", lifecycle, counts, ready, Set.of(), Set.of(), warm, Instant.EPOCH);
    }
}
