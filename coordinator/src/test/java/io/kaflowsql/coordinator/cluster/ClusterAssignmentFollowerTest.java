package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterAssignmentFollowerTest
{
    private static final TaskId T0 = new TaskId("orders", 0);
    private static final TaskId T1 = new TaskId("orders", 1);

    @Test
    void appliesOnlyNewerGenerations()
    {
        AssignmentFollower follower = new AssignmentFollower("b", Duration.ofSeconds(10));

        assertThat(follower.offer(record(2, Map.of(T0, "b")), 0)).isTrue();
        assertThat(follower.offer(record(2, Map.of(T0, "a")), 0)).isFalse();
        assertThat(follower.offer(record(1, Map.of(T0, "a")), 0)).isFalse();

        assertThat(follower.applied().generation()).isEqualTo(2);
        assertThat(follower.assignedToMe()).containsExactly(T0);
    }

    @Test
    void newTaskWaitsUntilTheLivePreviousOwnerReleasesIt()
    {
        AssignmentFollower follower = new AssignmentFollower("b", Duration.ofSeconds(10));
        follower.offer(record(1, Map.of(T0, "a", T1, "b")), 0);
        follower.offer(record(2, Map.of(T0, "b", T1, "b")), 1_000);

        assertThat(follower.runnable(Map.of("a", status("a", Set.of(T0))), Set.of(T1), 2_000)).containsExactly(T1);
        assertThat(follower.runnable(Map.of("a", status("a", Set.of())), Set.of(T1), 3_000)).containsExactlyInAnyOrder(T0, T1);
        // once taken, a stale status of the old owner does not take it back
        assertThat(follower.runnable(Map.of("a", status("a", Set.of(T0))), Set.of(T0, T1), 4_000)).containsExactlyInAnyOrder(T0, T1);
    }

    @Test
    void newTaskIsTakenAtOnceWhenThePreviousOwnerIsGoneAndAfterTheTimeoutOtherwise()
    {
        AssignmentFollower gone = new AssignmentFollower("b", Duration.ofSeconds(10));
        gone.offer(record(1, Map.of(T0, "a")), 0);
        gone.offer(record(2, Map.of(T0, "b")), 0);
        assertThat(gone.runnable(Map.of(), Set.of(), 0)).containsExactly(T0);

        AssignmentFollower stuck = new AssignmentFollower("b", Duration.ofSeconds(10));
        stuck.offer(record(1, Map.of(T0, "a")), 0);
        stuck.offer(record(2, Map.of(T0, "b")), 0);
        Map<String, NodeStatus> live = Map.of("a", status("a", Set.of(T0)));
        assertThat(stuck.runnable(live, Set.of(), 9_999)).isEmpty();
        assertThat(stuck.runnable(live, Set.of(), 10_000)).containsExactly(T0);
    }

    @Test
    void taskTakenAwayKeepsRunningUntilItsNextOwnerRestoredItAhead()
    {
        AssignmentFollower follower = new AssignmentFollower("b", Duration.ofSeconds(10));
        follower.offer(record(1, Map.of(T0, "b", T1, "b")), 0);
        follower.offer(new AssignmentRecord(2, "a", new Assignment(Map.of(T0, "b", T1, "c"), Map.of(T1, List.of("b"), T0, List.of("c"))),
                List.of()), 0);
        Set<TaskId> runningHere = Set.of(T0, T1);

        assertThat(follower.runnable(Map.of("c", status("c", Set.of())), runningHere, 100)).containsExactlyInAnyOrder(T0, T1);
        assertThat(follower.runnable(Map.of("c", status("c", Set.of(), Set.of(T1))), runningHere, 200)).containsExactly(T0);
        // once released, it is not taken back when the next owner's status is stale
        assertThat(follower.runnable(Map.of("c", status("c", Set.of())), Set.of(T0), 300)).containsExactly(T0);
        assertThat(follower.standbyDuties()).isEqualTo(Map.of(T1, "c"));
    }

    @Test
    void taskTakenAwayIsReleasedWhenTheNextOwnerIsGoneOrAfterHalfTheHandoverTimeout()
    {
        AssignmentFollower gone = new AssignmentFollower("b", Duration.ofSeconds(10));
        gone.offer(record(1, Map.of(T0, "b")), 0);
        gone.offer(record(2, Map.of(T0, "c")), 0);
        assertThat(gone.runnable(Map.of(), Set.of(T0), 0)).isEmpty();

        AssignmentFollower slow = new AssignmentFollower("b", Duration.ofSeconds(10));
        slow.offer(record(1, Map.of(T0, "b")), 0);
        slow.offer(record(2, Map.of(T0, "c")), 0);
        Map<String, NodeStatus> live = Map.of("c", status("c", Set.of()));
        assertThat(slow.runnable(live, Set.of(T0), 4_999)).containsExactly(T0);
        assertThat(slow.runnable(live, Set.of(T0), 5_000)).isEmpty();
    }

    @Test
    void taskTakenAwayThatDoesNotRunHereIsNeverOpenedForTheHandover()
    {
        AssignmentFollower follower = new AssignmentFollower("b", Duration.ofSeconds(10));
        follower.offer(record(1, Map.of(T0, "b")), 0);
        follower.offer(record(2, Map.of(T0, "c")), 0);

        assertThat(follower.runnable(Map.of("c", status("c", Set.of())), Set.of(), 0)).isEmpty();
    }

    private static AssignmentRecord record(long generation, Map<TaskId, String> owners)
    {
        return new AssignmentRecord(generation, "a", new Assignment(owners, Map.of()), List.of());
    }

    static NodeStatus status(String nodeId, Set<TaskId> owned)
    {
        return status(nodeId, owned, Set.of());
    }

    static NodeStatus status(String nodeId, Set<TaskId> owned, Set<TaskId> prepared)
    {
        return new NodeStatus(nodeId, UUID.randomUUID(), nodeId + ":7001", NodeLifecycle.READY, Map.of("orders", 2), Set.of("orders"), owned,
                prepared, Map.of(), Instant.EPOCH);
    }
}
