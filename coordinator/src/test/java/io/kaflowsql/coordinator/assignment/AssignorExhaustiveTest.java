package io.kaflowsql.coordinator.assignment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.kaflowsql.coordinator.assignment.AssignmentChecks.checkInvariants;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.minimalMovement;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.moved;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.uniform;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.withCurrent;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.withNodes;
import static org.assertj.core.api.Assertions.assertThat;

/** Every combination of a small universe: node counts, task counts, readiness shapes, current assignments. */
class AssignorExhaustiveTest
{
    private static final String DEAD = "dead";

    @Test
    void everyCurrentOwnershipOfUpToFourTasksOnUpToThreeNodes()
    {
        int cases = 0;
        for (int nodeCount = 1; nodeCount <= 3; nodeCount++) {
            List<NodeCandidate> nodes = uniformNodes(nodeCount);
            List<String> choices = new ArrayList<>(ids(nodes));
            choices.add(DEAD);
            choices.add(null);
            for (int taskCount = 0; taskCount <= 4; taskCount++) {
                List<TaskId> tasks = tasks(taskCount, 1);
                int combinations = (int) Math.pow(choices.size(), taskCount);
                for (int code = 0; code < combinations; code++) {
                    Map<TaskId, String> owners = new TreeMap<>();
                    int rest = code;
                    for (TaskId task : tasks) {
                        String owner = choices.get(rest % choices.size());
                        rest /= choices.size();
                        if (owner != null) {
                            owners.put(task, owner);
                        }
                    }
                    AssignmentInput input = new AssignmentInput(nodes, Set.copyOf(tasks), new Assignment(owners, Map.of()), Map.of(), code % 3);
                    String context = "nodes " + nodeCount + " owners " + owners;
                    Assignment result = Assignor.assign(input);
                    checkInvariants(input, result, context);
                    assertThat(moved(input, result)).as("moved: %s", context).isEqualTo(minimalMovement(input));
                    assertThat(Assignor.assign(withCurrent(input, result))).as("fixed point: %s", context).isEqualTo(result);
                    cases++;
                }
            }
        }
        assertThat(cases).isEqualTo(1243);
    }

    @Test
    void everyShapeOfUpToFourNodesAndEightTasks()
    {
        int cases = 0;
        for (int nodeCount = 1; nodeCount <= 4; nodeCount++) {
            for (int shape = 0; shape < 4; shape++) {
                List<NodeCandidate> nodes = shapedNodes(nodeCount, shape);
                for (int taskCount = 0; taskCount <= 8; taskCount++) {
                    Set<TaskId> tasks = Set.copyOf(tasks(taskCount, 2));
                    for (int variant = 0; variant < 8; variant++) {
                        for (int replicas = 0; replicas <= 2; replicas++) {
                            Assignment current = current(nodes, tasks, variant);
                            AssignmentInput input = new AssignmentInput(nodes, tasks, current, warm(nodes, tasks, variant), replicas);
                            String context = "nodes " + nodes + " tasks " + taskCount + " variant " + variant + " replicas " + replicas;
                            Assignment result = Assignor.assign(input);
                            checkInvariants(input, result, context);
                            assertThat(Assignor.assign(withCurrent(input, result))).as("fixed point: %s", context).isEqualTo(result);
                            assertThat(Assignor.assign(withNodes(input, reversed(nodes)))).as("node order: %s", context).isEqualTo(result);
                            if (uniform(input)) {
                                assertThat(moved(input, result)).as("moved: %s", context).isEqualTo(minimalMovement(input));
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(4 * 4 * 9 * 8 * 3);
    }

    @Test
    void everyJoinAndLeaveOfBalancedUniformClusters()
    {
        for (int nodeCount = 1; nodeCount <= 5; nodeCount++) {
            List<NodeCandidate> nodes = uniformNodes(nodeCount);
            for (int taskCount = 0; taskCount <= 12; taskCount++) {
                Set<TaskId> tasks = Set.copyOf(tasks(taskCount, 2));
                Assignment balanced = Assignor.assign(new AssignmentInput(nodes, tasks, Assignment.EMPTY, Map.of(), 1));
                List<NodeCandidate> joined = new ArrayList<>(nodes);
                joined.add(new NodeCandidate("new", Set.of("p0", "p1"), true));
                AssignmentInput join = new AssignmentInput(joined, tasks, balanced, Map.of(), 1);
                Assignment afterJoin = Assignor.assign(join);
                checkInvariants(join, afterJoin, "join " + nodeCount + "/" + taskCount);
                assertThat(moved(join, afterJoin)).as("join moves %s/%s", nodeCount, taskCount).isEqualTo(minimalMovement(join));
                for (NodeCandidate leaving : nodes) {
                    List<NodeCandidate> rest = new ArrayList<>(nodes);
                    rest.remove(leaving);
                    AssignmentInput leave = new AssignmentInput(rest, tasks, balanced, Map.of(), 1);
                    Assignment afterLeave = Assignor.assign(leave);
                    checkInvariants(leave, afterLeave, "leave " + leaving.nodeId());
                    afterLeave.owners().forEach((task, owner) -> {
                        if (!balanced.owners().get(task).equals(leaving.nodeId())) {
                            assertThat(owner).as("%s stays when %s leaves", task, leaving.nodeId()).isEqualTo(balanced.owners().get(task));
                        }
                    });
                }
            }
        }
    }

    private static List<NodeCandidate> uniformNodes(int count)
    {
        return shapedNodes(count, 0);
    }

    /** 0 uniform, 1 last node draining, 2 last node lacks p1, 3 first node lacks p0. */
    private static List<NodeCandidate> shapedNodes(int count, int shape)
    {
        List<NodeCandidate> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Set<String> ready = new TreeSet<>(Set.of("p0", "p1"));
            boolean accepts = true;
            if (shape == 1 && i == count - 1) {
                accepts = false;
            }
            if (shape == 2 && i == count - 1) {
                ready.remove("p1");
            }
            if (shape == 3 && i == 0) {
                ready.remove("p0");
            }
            nodes.add(new NodeCandidate("n" + i, ready, accepts));
        }
        return nodes;
    }

    private static List<TaskId> tasks(int count, int pipelines)
    {
        List<TaskId> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tasks.add(new TaskId("p" + (i % pipelines), i / pipelines));
        }
        return tasks;
    }

    private static List<NodeCandidate> reversed(List<NodeCandidate> nodes)
    {
        List<NodeCandidate> reversed = new ArrayList<>(nodes);
        java.util.Collections.reverse(reversed);
        return reversed;
    }

    private static List<String> ids(List<NodeCandidate> nodes)
    {
        return nodes.stream().map(NodeCandidate::nodeId).toList();
    }

    /** 0 none, 1 all on the first node, 2 round robin, 3 all dead, 4 half dead, 5-7 seeded random. */
    private static Assignment current(List<NodeCandidate> nodes, Set<TaskId> tasks, int variant)
    {
        Map<TaskId, String> owners = new TreeMap<>();
        Map<TaskId, List<String>> standbys = new TreeMap<>();
        Random random = new Random(variant * 7919L + nodes.size() * 31L + tasks.size());
        int i = 0;
        for (TaskId task : new TreeSet<>(tasks)) {
            String owner = switch (variant) {
                case 0 -> null;
                case 1 -> nodes.get(0).nodeId();
                case 2 -> nodes.get(i % nodes.size()).nodeId();
                case 3 -> DEAD;
                case 4 -> i % 2 == 0 ? DEAD : nodes.get(i % nodes.size()).nodeId();
                default -> random.nextInt(nodes.size() + 1) == 0 ? DEAD : nodes.get(random.nextInt(nodes.size())).nodeId();
            };
            if (owner != null) {
                owners.put(task, owner);
                standbys.put(task, List.of(nodes.get(random.nextInt(nodes.size())).nodeId()));
            }
            i++;
        }
        return new Assignment(owners, standbys);
    }

    private static Map<TaskId, Map<String, Long>> warm(List<NodeCandidate> nodes, Set<TaskId> tasks, int variant)
    {
        Map<TaskId, Map<String, Long>> warm = new TreeMap<>();
        if (variant < 5) {
            return warm;
        }
        Random random = new Random(variant);
        for (TaskId task : new TreeSet<>(tasks)) {
            warm.put(task, Map.of(nodes.get(random.nextInt(nodes.size())).nodeId(), (long) random.nextInt(100)));
        }
        return warm;
    }
}
