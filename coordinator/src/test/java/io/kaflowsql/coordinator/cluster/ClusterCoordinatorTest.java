package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.cluster.ClusterTestNodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kaflowsql.coordinator.cluster.ClusterTestNodes.await;
import static io.kaflowsql.coordinator.cluster.ClusterTestNodes.balanced;
import static io.kaflowsql.coordinator.cluster.ClusterTestNodes.ownedExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Hazelcast members in one JVM, each with an in-memory {@link LocalTasks}. Waits use generous deadlines; no
 * assertion depends on timing.
 */
@Timeout(600)
class ClusterCoordinatorTest
{
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Set<String> PIPELINES = Set.of("orders", "clicks");
    private static final Set<TaskId> TASKS = allTasks();

    @Test
    void oldestMemberLeadsAndEveryTaskGetsExactlyOneOwnerBalanced()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(3, 1)) {
            List<Node> nodes = startThree(cluster);

            assertThat(nodes.get(0).coordinator().isLeader()).isTrue();
            assertThat(nodes.get(1).coordinator().isLeader()).isFalse();
            assertThat(nodes.get(2).coordinator().isLeader()).isFalse();
            assertThat(nodes.get(2).coordinator().peers()).extracting(NodeStatus::nodeId).containsExactlyInAnyOrder("a", "b", "c");
            AssignmentRecord record = nodes.get(0).coordinator().currentAssignment();
            assertThat(record.leaderNodeId()).isEqualTo("a");
            assertThat(record.assignment().owners().keySet()).containsExactlyInAnyOrderElementsOf(TASKS);
            assertNoViolations(nodes);
        }
    }

    @Test
    void joiningNodeGetsTasksOnlyOnceItsPipelinesAreReady()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(4, 1)) {
            List<Node> nodes = startThree(cluster);
            Node joiner = cluster.start("d", 3, TASKS, Set.of(), PIPELINES);
            await("d is seen bootstrapping by the leader", WAIT, () -> nodes.get(0).coordinator().peers().stream()
                    .anyMatch(status -> status.nodeId().equals("d") && status.lifecycle() == NodeLifecycle.BOOTSTRAPPING));
            long generationWhileBootstrapping = nodes.get(0).coordinator().currentAssignment().generation();

            joiner.tasks().setReady(PIPELINES);
            List<Node> four = List.of(nodes.get(0), nodes.get(1), nodes.get(2), joiner);
            await("d owns tasks and the four are balanced", WAIT, () -> !joiner.tasks().ownedTasks().isEmpty()
                    && ownedExactlyOnce(four, TASKS) && balanced(four));

            assertThat(joiner.coordinator().lifecycle()).isEqualTo(NodeLifecycle.READY);
            assertThat(joiner.coordinator().currentAssignment().generation()).isGreaterThan(generationWhileBootstrapping);
            // every generation applied while d was not ready left it without tasks
            assertThat(joiner.events().applied).filteredOn(record -> record.generation() <= generationWhileBootstrapping)
                    .allSatisfy(record -> assertThat(record.assignment().owners()).doesNotContainValue("d"));
            assertNoViolations(four);
        }
    }

    @Test
    void crashedLeaderLosesItsTasksToTheSurvivorsAndTheNextOldestLeads()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(3, 1)) {
            List<Node> nodes = startThree(cluster);
            long before = nodes.get(1).coordinator().currentAssignment().generation();

            cluster.crash(nodes.get(0));

            List<Node> survivors = List.of(nodes.get(1), nodes.get(2));
            await("b and c own every task", WAIT, () -> ownedExactlyOnce(survivors, TASKS) && balanced(survivors));
            await("b leads", WAIT, () -> nodes.get(1).coordinator().isLeader());
            AssignmentRecord record = nodes.get(2).coordinator().currentAssignment();
            assertThat(record.generation()).isGreaterThan(before);
            assertThat(Set.copyOf(record.assignment().owners().values())).containsExactlyInAnyOrder("b", "c");
            assertThat(record.leaderNodeId()).isEqualTo("b");
            assertNoViolations(survivors);
        }
    }

    @Test
    void generationsStrictlyIncreaseAndAStaleRecordIsNeverApplied()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(3, 1)) {
            List<Node> nodes = startThree(cluster);
            AssignmentRecord newest = nodes.get(0).coordinator().currentAssignment();
            Map<TaskId, String> everythingToC = new TreeMap<>();
            TASKS.forEach(task -> everythingToC.put(task, "c"));
            AssignmentRecord stale = new AssignmentRecord(newest.generation() - 1, "intruder", new Assignment(everythingToC, Map.of()),
                    List.of("c"));

            new ClusterMaps(nodes.get(1).coordinator().hazelcast()).forceRecord(stale);

            await("the leader restored the newest record", WAIT, () -> new ClusterMaps(nodes.get(1).coordinator().hazelcast()).storedRecord()
                    .flatMap(ClusterMaps.StoredRecord::record)
                    .filter(record -> record.generation() >= newest.generation())
                    .isPresent());
            for (Node node : nodes) {
                assertThat(node.coordinator().currentAssignment().generation()).isGreaterThanOrEqualTo(newest.generation());
                assertThat(node.events().applied).noneMatch(record -> record.leaderNodeId().equals("intruder"));
                List<Long> generations = node.events().applied.stream().map(AssignmentRecord::generation).toList();
                assertThat(generations).isSorted().doesNotHaveDuplicates();
            }
            assertThat(ownedExactlyOnce(nodes, TASKS)).isTrue();
            assertThat(nodes.get(2).tasks().ownedTasks()).hasSizeLessThan(TASKS.size());
        }
    }

    @Test
    void belowMinSizeNothingIsOwnedUntilQuorumAndLosingQuorumStopsProcessing()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(3, 3)) {
            Node a = cluster.start("a", 0, TASKS, PIPELINES, PIPELINES);
            Node b = cluster.start("b", 1, TASKS, PIPELINES, PIPELINES);
            await("a and b see each other below quorum", WAIT, () -> a.coordinator().peers().size() == 2 && b.coordinator().peers().size() == 2);
            assertThat(a.events().quorum).containsExactly(false);
            assertThat(a.coordinator().lifecycle()).isEqualTo(NodeLifecycle.JOINING);
            assertThat(b.coordinator().lifecycle()).isEqualTo(NodeLifecycle.JOINING);
            assertThat(a.coordinator().currentAssignment().generation()).isZero();

            Node c = cluster.start("c", 2, TASKS, PIPELINES, PIPELINES);
            List<Node> nodes = List.of(a, b, c);
            await("with quorum every task is owned", WAIT, () -> ownedExactlyOnce(nodes, TASKS));
            assertThat(a.tasks().ownCalls().subList(0, 1)).containsExactly(Set.of());

            cluster.crash(c);
            await("a and b stop processing", WAIT, () -> a.tasks().ownedTasks().isEmpty() && b.tasks().ownedTasks().isEmpty()
                    && a.events().quorum.equals(List.of(false, true, false)));
            assertThat(a.coordinator().lifecycle()).isEqualTo(NodeLifecycle.READY);
            assertThat(a.coordinator().drain(WAIT)).as("below quorum a node owns nothing, so it is drained without a leader").isTrue();
            assertNoViolations(nodes);
        }
    }

    @Test
    void drainMovesEveryTaskAwayAndLifecycleRunsInOrder()
            throws Exception
    {
        try (ClusterTestNodes cluster = new ClusterTestNodes(3, 1)) {
            List<Node> nodes = startThree(cluster);
            Node b = nodes.get(1);
            assertThat(b.tasks().ownedTasks()).isNotEmpty();

            assertThat(b.coordinator().drain(WAIT)).isTrue();

            assertThat(b.tasks().ownedTasks()).isEmpty();
            assertThat(b.coordinator().lifecycle()).isEqualTo(NodeLifecycle.DRAINING);
            List<Node> others = List.of(nodes.get(0), nodes.get(2));
            await("a and c own every task", WAIT, () -> ownedExactlyOnce(others, TASKS));
            assertThat(b.coordinator().currentAssignment().assignment().owners()).doesNotContainValue("b");

            b.coordinator().close();
            assertThat(b.coordinator().lifecycle()).isEqualTo(NodeLifecycle.LEFT);
            assertThat(b.events().transitions).containsExactly("JOINING->BOOTSTRAPPING", "BOOTSTRAPPING->READY", "READY->DRAINING",
                    "DRAINING->LEFT");
            await("b's status is gone from the peers", WAIT, () -> nodes.get(0).coordinator().peers().stream()
                    .noneMatch(status -> status.nodeId().equals("b")));
            assertNoViolations(nodes);
        }
    }

    private static List<Node> startThree(ClusterTestNodes cluster)
            throws InterruptedException
    {
        Node a = cluster.start("a", 0, TASKS, PIPELINES, PIPELINES);
        Node b = cluster.start("b", 1, TASKS, PIPELINES, PIPELINES);
        Node c = cluster.start("c", 2, TASKS, PIPELINES, PIPELINES);
        List<Node> nodes = List.of(a, b, c);
        await("three nodes own every task once, balanced", WAIT, () -> ownedExactlyOnce(nodes, TASKS) && balanced(nodes)
                && nodes.stream().allMatch(node -> node.coordinator().peers().size() == 3));
        return nodes;
    }

    private static void assertNoViolations(List<Node> nodes)
    {
        for (Node node : nodes) {
            assertThat(node.tasks().violations()).as("contract violations on %s", node.nodeId()).isEmpty();
        }
    }

    private static Set<TaskId> allTasks()
    {
        Set<TaskId> tasks = new TreeSet<>(FakeLocalTasks.tasks("orders", 6));
        tasks.addAll(FakeLocalTasks.tasks("clicks", 3));
        return tasks;
    }
}
