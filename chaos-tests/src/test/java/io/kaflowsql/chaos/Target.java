package io.kaflowsql.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whom a fault hits. A target is a rule, resolved when its fault is injected against the cluster as it is then (the
 * leader of the moment, a node that owns tasks at that moment), with the step's own random source, so a schedule
 * printed from a seed names the same rules and makes the same random picks on a rerun.
 *
 * <p>Immutable; thread-safe.
 *
 * @param number the node of {@link Kind#NODE}; 0 otherwise
 */
record Target(Kind kind, int number)
{
    enum Kind
    {
        RANDOM_NODE, LEADER, TASK_OWNER, NODE, MINORITY, EVERY_NODE, BROKER
    }

    /** Any running node, picked at random. */
    static Target randomNode()
    {
        return new Target(Kind.RANDOM_NODE, 0);
    }

    /** The node that leads the cluster when the fault starts. */
    static Target leader()
    {
        return new Target(Kind.LEADER, 0);
    }

    /** A node that owns at least one task when the fault starts, picked at random. */
    static Target taskOwner()
    {
        return new Target(Kind.TASK_OWNER, 0);
    }

    static Target node(int number)
    {
        if (number < 1) {
            throw new IllegalArgumentException("nodes are numbered from 1: " + number);
        }
        return new Target(Kind.NODE, number);
    }

    /** Fewer than half of the running nodes (at least one), together owning at least one task: the side that must stop. */
    static Target minority()
    {
        return new Target(Kind.MINORITY, 0);
    }

    /** Every running node, one after another in a random order (a rolling restart). */
    static Target everyNode()
    {
        return new Target(Kind.EVERY_NODE, 0);
    }

    static Target broker()
    {
        return new Target(Kind.BROKER, 0);
    }

    boolean isBroker()
    {
        return kind == Kind.BROKER;
    }

    /**
     * The node numbers this target names now; empty for the broker.
     *
     * @throws IllegalStateException when no node fits (no leader answers, nobody owns a task)
     */
    List<Integer> resolve(ClusterHarness cluster, Random random)
    {
        List<Integer> running = new ArrayList<>(cluster.awake());
        return switch (kind) {
            case BROKER -> List.of();
            case NODE -> List.of(number);
            case RANDOM_NODE -> List.of(pick(running, random));
            case LEADER -> List.of(cluster.leader().orElseThrow(() -> new IllegalStateException("no node answers with a leader")));
            case TASK_OWNER -> List.of(pick(owners(cluster, running), random));
            case EVERY_NODE -> {
                Collections.shuffle(running, random);
                yield running;
            }
            case MINORITY -> minorityOf(cluster, running, random);
        };
    }

    private static List<Integer> minorityOf(ClusterHarness cluster, List<Integer> running, Random random)
    {
        int size = 1 + random.nextInt(Math.max(1, (running.size() - 1) / 2));
        List<Integer> owners = owners(cluster, running);
        List<Integer> side = new ArrayList<>(List.of(pick(owners, random)));
        List<Integer> others = new ArrayList<>(running);
        others.removeAll(side);
        Collections.shuffle(others, random);
        side.addAll(others.subList(0, Math.min(size - 1, others.size())));
        return List.copyOf(new TreeSet<>(side));
    }

    private static List<Integer> owners(ClusterHarness cluster, List<Integer> running)
    {
        List<Integer> owners = running.stream().filter(number -> !cluster.owned(number).isEmpty()).toList();
        if (owners.isEmpty()) {
            throw new IllegalStateException("no running node owns a task");
        }
        return owners;
    }

    private static int pick(List<Integer> numbers, Random random)
    {
        if (numbers.isEmpty()) {
            throw new IllegalStateException("no running node to pick");
        }
        return numbers.get(random.nextInt(numbers.size()));
    }

    /** The rule as a schedule prints it. */
    @Override
    public String toString()
    {
        return switch (kind) {
            case RANDOM_NODE -> "a random node";
            case LEADER -> "the leader";
            case TASK_OWNER -> "a task owner";
            case NODE -> "node-" + number;
            case MINORITY -> "a minority holding tasks";
            case EVERY_NODE -> "every node in turn";
            case BROKER -> "the broker";
        };
    }

    /** {@code node-1, node-3} for printing resolved numbers. */
    static String names(List<Integer> numbers)
    {
        return numbers.stream().map(number -> "node-" + number).reduce((a, b) -> a + ", " + b).orElse("the broker");
    }

    /** The resolved numbers as a set, for the network's cut. */
    static Set<Integer> asSet(List<Integer> numbers)
    {
        return new TreeSet<>(numbers);
    }
}
