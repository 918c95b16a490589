package io.kaflowsql.chaos;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The faults a chaos schedule can inject. Each names what it does, whom it hits unless told otherwise, what the
 * machine must offer for it, the targets and durations a random schedule draws from, and roughly how long it takes
 * with the cluster's recovery (for fitting a random schedule into a run's duration). How each is injected is in
 * {@link FaultActions}; what the system guarantees under each is in {@code docs/RELIABILITY.md}.
 */
enum Fault
{
    KILL("kill -9 of a node; restarted after the duration", Requirement.NONE,
            List.of(Target.randomNode(), Target.leader(), Target.taskOwner()), 0, 10, 10),
    KILL_MID_HANDOVER("kill -9 of a node, restarted; while tasks move back to it, kill -9 of the incoming or the outgoing owner of a task "
            + "in the middle of its hand-over; restarted after the duration", Requirement.NONE, List.of(Target.randomNode()), 0, 5, 18),
    KILL_MID_CHECKPOINT("kill -9 of a node, restarted with a switch that halts it while it writes a checkpoint (files written, not published); "
            + "restarted after the duration", Requirement.NONE, List.of(Target.randomNode(), Target.taskOwner()), 0, 5, 16),
    KILL_MID_TRANSACTION("kill -9 of a node, restarted with a switch that halts it after a transaction's outputs were sent, before the commit; "
            + "restarted after the duration", Requirement.NONE, List.of(Target.randomNode(), Target.taskOwner()), 0, 5, 19),
    PAUSE("SIGSTOP of a node for the duration (longer than the failure detection: the others take its tasks over), then SIGCONT: "
            + "a zombie wakes up", Requirement.NONE, List.of(Target.randomNode(), Target.leader(), Target.taskOwner()),
            NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 3, NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 25, 16),
    PAUSE_LONG("SIGSTOP of a node for longer than the 60 s transaction timeout, then SIGCONT: a zombie whose open transaction the "
            + "broker aborted meanwhile wakes up", Requirement.NONE, List.of(Target.taskOwner(), Target.leader()), 62, 80, 14),
    PARTITION("network partition between nodes (routes in their namespaces), a minority holding tasks on one side; the broker stays "
            + "reachable to all; healed after the duration", Requirement.NETWORK_NAMESPACES, List.of(Target.minority()),
            NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 10, NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 30, 10),
    ISOLATE("one node cut off from every other node and from the broker; healed after the duration", Requirement.NETWORK_NAMESPACES,
            List.of(Target.randomNode(), Target.leader(), Target.taskOwner()), NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 5,
            NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 25, 15),
    BROKER_BOUNCE("the broker process killed (SIGKILL or SIGTERM, at random) and restarted on the same port and data directory after "
            + "the duration", Requirement.NONE, List.of(Target.broker()), 2, 15, 35),
    BROKER_SLOW("the broker slowed down for the duration: paused and resumed (SIGSTOP/SIGCONT) in a duty cycle, or, in network "
            + "namespaces, its traffic to the nodes throttled by a token bucket (tc tbf)", Requirement.NONE, List.of(Target.broker()), 8, 25, 3),
    SCALE_OUT_IN("a node joins under load (a free slot), then after the duration a random node leaves gracefully (SIGTERM: drain)",
            Requirement.FREE_SLOT, List.of(Target.randomNode()), 5, 15, 8),
    ROLLING_RESTART("nodes drained through the admin API, stopped (SIGTERM) and restarted one at a time, under load", Requirement.NONE,
            List.of(Target.everyNode(), Target.randomNode()), 0, 0, 30),
    ROLLING_UPGRADE("a rolling restart in which every node comes back as version N+1 (once per run)", Requirement.NONE,
            List.of(Target.everyNode()), 0, 0, 50),
    DISK_DELETE("files deleted under a running node's state directory (all of them, or a random half); the node is restarted on the "
            + "damaged directory after the duration if it died meanwhile", Requirement.NONE, List.of(Target.randomNode(), Target.taskOwner()), 5, 15, 2),
    DISK_FULL("a node's state directory (a tmpfs of its own) filled to the last byte for the duration, then freed; the node is "
            + "restarted if it died meanwhile", Requirement.STATE_TMPFS, List.of(Target.randomNode(), Target.taskOwner()), 5, 20, 2);

    /** What the machine or the cluster must offer for the fault. */
    enum Requirement
    {
        NONE, NETWORK_NAMESPACES, STATE_TMPFS, FREE_SLOT
    }

    private final String description;
    private final Requirement requirement;
    private final List<Target> targets;
    private final int minSeconds;
    private final int maxSeconds;
    private final int estimatedSeconds;

    Fault(String description, Requirement requirement, List<Target> targets, int minSeconds, int maxSeconds, int estimatedSeconds)
    {
        this.description = requireNonNull(description, "description is null");
        this.requirement = requireNonNull(requirement, "requirement is null");
        this.targets = List.copyOf(targets);
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
        this.estimatedSeconds = estimatedSeconds;
    }

    String description()
    {
        return description;
    }

    Requirement requirement()
    {
        return requirement;
    }

    /** The target used when a step names none. */
    Target defaultTarget()
    {
        return targets.get(0);
    }

    /** The targets a random schedule draws from. */
    List<Target> targets()
    {
        return targets;
    }

    /** The duration used when a step names none: the shortest of the random range. */
    Duration defaultDuration()
    {
        return Duration.ofSeconds(minSeconds);
    }

    int minSeconds()
    {
        return minSeconds;
    }

    int maxSeconds()
    {
        return maxSeconds;
    }

    /**
     * Rough seconds a step takes beyond its pause and duration (restarts, takeovers, recovery), as measured on a 2-core
     * machine; they fit a random schedule into a run's duration.
     */
    int estimatedSeconds()
    {
        return estimatedSeconds;
    }
}
