package io.kaflowsql.coordinator.assignment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class MovePlannerTest
{
    private static final TaskId TASK = new TaskId("orders", 0);
    private static final TaskId OTHER = new TaskId("orders", 1);

    @Test
    void plannedMoveKeepsTheLiveOwnerAndWarmsTheReceiverFirst()
    {
        Assignment current = new Assignment(Map.of(TASK, "a"), Map.of(TASK, List.of("c")));
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of(TASK, List.of("a", "c")));

        Assignment staged = MovePlanner.stage(current, target, Set.of("a", "b", "c"), Map.of());

        assertThat(staged.owners()).containsExactlyEntriesOf(Map.of(TASK, "a"));
        assertThat(staged.standbysOf(TASK)).containsExactly("b", "c");
    }

    @Test
    void readyReceiverTakesOver()
    {
        Assignment current = new Assignment(Map.of(TASK, "a"), Map.of(TASK, List.of("b")));
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of(TASK, List.of("a")));

        Assignment staged = MovePlanner.stage(current, target, Set.of("a", "b"), Map.of(TASK, Set.of("b")));

        assertThat(staged).isEqualTo(target);
    }

    @Test
    void goneOwnerFailsOverAtOnce()
    {
        Assignment current = new Assignment(Map.of(TASK, "dead"), Map.of(TASK, List.of("b")));
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of(TASK, List.of("c")));

        Assignment staged = MovePlanner.stage(current, target, Set.of("b", "c"), Map.of());

        assertThat(staged).isEqualTo(target);
    }

    @Test
    void drainingOwnerHandsOverOnlyWhenTheReceiverIsReady()
    {
        Assignment current = new Assignment(Map.of(TASK, "draining"), Map.of());
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of());
        Set<String> live = Set.of("draining", "b");

        Assignment first = MovePlanner.stage(current, target, live, Map.of());
        assertThat(first.owners()).containsEntry(TASK, "draining");
        assertThat(first.standbysOf(TASK)).containsExactly("b");

        Assignment second = MovePlanner.stage(first, target, live, Map.of(TASK, Set.of("b")));
        assertThat(second).isEqualTo(target);
    }

    @Test
    void unownedTaskGetsItsTargetOwnerAtOnceAndTasksLeavingTheTargetAreDropped()
    {
        Assignment current = new Assignment(Map.of(OTHER, "a"), Map.of());
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of());

        Assignment staged = MovePlanner.stage(current, target, Set.of("a", "b"), Map.of());

        assertThat(staged.owners()).containsExactlyEntriesOf(Map.of(TASK, "b"));
    }

    @Test
    void readinessOfAnotherNodeDoesNotReleaseTheMove()
    {
        Assignment current = new Assignment(Map.of(TASK, "a"), Map.of());
        Assignment target = new Assignment(Map.of(TASK, "b"), Map.of(TASK, List.of("c")));

        Assignment staged = MovePlanner.stage(current, target, Set.of("a", "b", "c"), Map.of(TASK, Set.of("c")));

        assertThat(staged.owners()).containsEntry(TASK, "a");
        assertThat(staged.standbysOf(TASK)).containsExactly("b", "c");
    }

    @Test
    void randomStagingNeverKeepsADeadOwnerAndReachesTheTargetInTwoSteps()
    {
        long baseSeed = 0x3017_e5L;
        for (int i = 0; i < 1000; i++) {
            long seed = baseSeed + i;
            AssignmentGenerator generator = new AssignmentGenerator(seed);
            Random random = generator.random();
            AssignmentInput input = generator.input(i % 2 == 0);
            Assignment current = input.current();
            Assignment target = Assignor.assign(input);
            Set<String> live = new TreeSet<>();
            input.nodes().forEach(node -> live.add(node.nodeId()));
            Map<TaskId, Set<String>> ready = new HashMap<>();
            target.owners().keySet().forEach(task -> {
                if (random.nextBoolean()) {
                    ready.put(task, Set.of(target.owners().get(task)));
                }
            });

            Assignment staged = MovePlanner.stage(current, target, live, ready);

            checkStep(current, target, live, ready, staged, "seed " + seed);
            Assignment step = staged;
            for (int round = 0; round < 2; round++) {
                step = MovePlanner.stage(step, target, live, standbysAsReady(step));
            }
            assertThat(step).as("converged, seed %s", seed).isEqualTo(target);
        }
    }

    private static void checkStep(Assignment current, Assignment target, Set<String> live, Map<TaskId, Set<String>> ready,
            Assignment staged, String context)
    {
        assertThat(staged.owners().keySet()).as("same tasks as the target: %s", context).isEqualTo(target.owners().keySet());
        staged.owners().forEach((task, owner) -> {
            assertThat(live).as("owner of %s is live: %s", task, context).contains(owner);
            assertThat(staged.standbysOf(task)).as("standbys of %s: %s", task, context).doesNotContain(owner).doesNotHaveDuplicates();
            String targetOwner = target.owners().get(task);
            if (owner.equals(targetOwner)) {
                assertThat(staged.standbysOf(task)).as("%s standbys: %s", task, context).isEqualTo(target.standbysOf(task));
            }
            else {
                assertThat(owner).as("only the current owner is kept for %s: %s", task, context).isEqualTo(current.owners().get(task));
                assertThat(ready.getOrDefault(task, Set.of())).as("%s kept although receiver ready: %s", task, context).doesNotContain(targetOwner);
                List<String> expected = new ArrayList<>();
                expected.add(targetOwner);
                target.standbysOf(task).stream().filter(node -> !node.equals(owner) && !expected.contains(node)).forEach(expected::add);
                assertThat(staged.standbysOf(task)).as("receiver warms first for %s: %s", task, context).isEqualTo(expected);
            }
        });
    }

    private static Map<TaskId, Set<String>> standbysAsReady(Assignment assignment)
    {
        Map<TaskId, Set<String>> ready = new TreeMap<>();
        assignment.standbys().forEach((task, nodes) -> ready.put(task, Set.copyOf(nodes)));
        return ready;
    }
}
