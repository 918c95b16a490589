package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.net.FreePorts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Real Hazelcast members in this JVM on 127.0.0.1, each with a {@link FakeLocalTasks}, in a cluster of their own
 * (a unique name per instance, fresh ports), with fast failure detection. Closes every node it started.
 */
final class ClusterTestNodes
        implements AutoCloseable
{
    /** Records what a node's coordinator reported. */
    static final class Events
            implements ClusterListener
    {
        final List<String> transitions = new CopyOnWriteArrayList<>();
        final List<AssignmentRecord> applied = new CopyOnWriteArrayList<>();
        final List<AssignmentRecord> ignored = new CopyOnWriteArrayList<>();
        final List<Boolean> quorum = new CopyOnWriteArrayList<>();

        @Override
        public void lifecycleChanged(NodeLifecycle from, NodeLifecycle to)
        {
            transitions.add(from + "->" + to);
        }

        @Override
        public void generationApplied(AssignmentRecord record)
        {
            applied.add(record);
        }

        @Override
        public void staleRecordIgnored(AssignmentRecord stale, long appliedGeneration)
        {
            ignored.add(stale);
        }

        @Override
        public void quorumChanged(boolean reached, int members, int minSize)
        {
            quorum.add(reached);
        }
    }

    record Node(String nodeId, ClusterCoordinator coordinator, FakeLocalTasks tasks, Events events) {}

    private final String clusterName = "test-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final int minSize;

    ClusterTestNodes(int expectedNodes, int minSize)
    {
        for (int i = 0; i < expectedNodes; i++) {
            ports.add(FreePorts.pick());
        }
        this.minSize = minSize;
    }

    Node start(String nodeId, int index, Set<TaskId> known, Set<String> ready, Set<String> deployed)
    {
        FakeLocalTasks tasks = new FakeLocalTasks(known, ready);
        Events events = new Events();
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        ClusterSettings settings = ClusterSettings.defaults(nodeId, ports.get(index), "127.0.0.1:" + (9000 + index))
                .withClusterName(clusterName)
                .withMembers(members)
                .withMinSize(minSize)
                .withFailureDetection(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100));
        ClusterCoordinator coordinator = ClusterCoordinator.start(settings, tasks, deployed, Clock.systemUTC(), events);
        Node node = new Node(nodeId, coordinator, tasks, events);
        nodes.put(nodeId, node);
        return node;
    }

    /** Stops the member abruptly, as a crash would; the coordinator is closed afterwards. */
    void crash(Node node)
    {
        node.coordinator().hazelcast().getLifecycleService().terminate();
    }

    /** Task -> owners, over the given nodes' fakes. */
    static Map<TaskId, List<String>> owners(List<Node> nodes)
    {
        Map<TaskId, List<String>> owners = new HashMap<>();
        for (Node node : nodes) {
            node.tasks().ownedTasks().forEach(task -> owners.computeIfAbsent(task, ignored -> new ArrayList<>()).add(node.nodeId()));
        }
        return owners;
    }

    /** Every task owned by exactly one of {@code nodes}, and no task outside {@code tasks}. */
    static boolean ownedExactlyOnce(List<Node> nodes, Set<TaskId> tasks)
    {
        Map<TaskId, List<String>> owners = owners(nodes);
        return owners.keySet().equals(new TreeSet<>(tasks)) && owners.values().stream().allMatch(list -> list.size() == 1);
    }

    static boolean balanced(List<Node> nodes)
    {
        int min = nodes.stream().mapToInt(node -> node.tasks().ownedTasks().size()).min().orElse(0);
        int max = nodes.stream().mapToInt(node -> node.tasks().ownedTasks().size()).max().orElse(0);
        return max - min <= 1;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close()
    {
        nodes.values().forEach(node -> node.coordinator().close());
    }
}
