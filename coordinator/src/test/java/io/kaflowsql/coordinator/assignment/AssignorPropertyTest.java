package io.kaflowsql.coordinator.assignment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.kaflowsql.coordinator.assignment.AssignmentChecks.checkInvariants;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.minimalMovement;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.moved;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.withCurrent;
import static io.kaflowsql.coordinator.assignment.AssignmentChecks.withNodes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Randomized properties over thousands of seeded inputs. Each case has its own seed, printed in every
 * failure message: rerun one with {@code new AssignmentGenerator(seed)}.
 */
class AssignorPropertyTest
{
    private static final int CASES = 2000;
    private static final long BASE_SEED = 0x5eed_a551_9L;

    @Test
    void invariantsHoldForRandomClusters()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentInput input = new AssignmentGenerator(seed).input(i % 2 == 0);
            checkInvariants(input, Assignor.assign(input), "seed " + seed);
        }
    }

    @Test
    void assigningItsOwnOutputChangesNothing()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentInput input = new AssignmentGenerator(seed).input(i % 2 == 0);
            Assignment first = Assignor.assign(input);
            Assignment second = Assignor.assign(withCurrent(input, first));
            assertThat(second.owners()).as("owners, seed %s", seed).isEqualTo(first.owners());
            assertThat(second.standbys()).as("standbys, seed %s", seed).isEqualTo(first.standbys());
        }
    }

    @Test
    void outputDoesNotDependOnNodeOrder()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentGenerator generator = new AssignmentGenerator(seed);
            AssignmentInput input = generator.input(i % 2 == 0);
            List<NodeCandidate> shuffled = new ArrayList<>(input.nodes());
            Collections.shuffle(shuffled, generator.random());
            assertThat(Assignor.assign(withNodes(input, shuffled))).as("seed %s", seed).isEqualTo(Assignor.assign(input));
        }
    }

    @Test
    void uniformClusterMovesTheFewestTasksBalanceAllows()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentInput input = new AssignmentGenerator(seed).input(true);
            assertThat(moved(input, Assignor.assign(input))).as("moved, seed %s", seed).isEqualTo(minimalMovement(input));
        }
    }

    @Test
    void joinMovesOnlyTheSurplusToTheNewcomer()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentGenerator generator = new AssignmentGenerator(seed);
            AssignmentInput input = generator.input(true);
            Assignment balanced = Assignor.assign(input);
            List<NodeCandidate> joined = new ArrayList<>(input.nodes());
            joined.add(new NodeCandidate("joiner", Set.copyOf(AssignmentGenerator.PIPELINES), true));
            AssignmentInput join = withCurrent(withNodes(input, joined), balanced);

            Assignment after = Assignor.assign(join);

            checkInvariants(join, after, "seed " + seed);
            int total = input.tasks().size();
            int floor = total / joined.size();
            assertThat(moved(join, after)).as("moved, seed %s", seed).isEqualTo(minimalMovement(join));
            after.owners().forEach((task, owner) -> assertThat(owner.equals("joiner") || owner.equals(balanced.owners().get(task)))
                    .as("%s moved between old nodes, seed %s", task, seed).isTrue());
            long joinerLoad = after.owners().values().stream().filter("joiner"::equals).count();
            assertThat(joinerLoad).as("joiner load, seed %s", seed).isBetween((long) floor, (long) floor + 1);
        }
    }

    @Test
    void leaveMovesOnlyTheDepartedNodesTasks()
    {
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentGenerator generator = new AssignmentGenerator(seed);
            AssignmentInput input = generator.input(true);
            Assignment balanced = Assignor.assign(input);
            List<NodeCandidate> remaining = new ArrayList<>(input.nodes());
            NodeCandidate departed = remaining.remove(generator.random().nextInt(remaining.size()));
            AssignmentInput leave = withCurrent(withNodes(input, remaining), balanced);

            Assignment after = Assignor.assign(leave);

            checkInvariants(leave, after, "seed " + seed);
            after.owners().forEach((task, owner) -> {
                if (!departed.nodeId().equals(balanced.owners().get(task))) {
                    assertThat(owner).as("%s stays, seed %s", task, seed).isEqualTo(balanced.owners().get(task));
                }
            });
        }
    }

    @Test
    void movedTasksPreferWarmNodes()
    {
        // in a uniform cluster no two moving tasks could swap so that a cold one lands warm and the other stays cold
        for (int i = 0; i < CASES; i++) {
            long seed = BASE_SEED + i;
            AssignmentInput input = new AssignmentGenerator(seed).input(true);
            Assignment result = Assignor.assign(input);
            List<TaskId> coldMoved = result.owners().keySet().stream()
                    .filter(task -> !Objects.equals(input.current().owners().get(task), result.owners().get(task)))
                    .filter(task -> !warm(input, task, result.owners().get(task)))
                    .toList();
            for (TaskId coldTask : coldMoved) {
                for (TaskId other : coldMoved) {
                    String otherOwner = result.owners().get(other);
                    assertThat(!other.equals(coldTask) && warm(input, coldTask, otherOwner))
                            .as("%s is cold on %s while %s, warm for it, took cold %s; seed %s",
                                    coldTask, result.owners().get(coldTask), otherOwner, other, seed)
                            .isFalse();
                }
            }
        }
    }

    private static boolean warm(AssignmentInput input, TaskId task, String node)
    {
        return input.warmState().getOrDefault(task, Map.of()).containsKey(node);
    }
}
