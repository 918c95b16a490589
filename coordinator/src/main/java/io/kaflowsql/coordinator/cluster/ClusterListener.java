package io.kaflowsql.coordinator.cluster;

/**
 * Hook for logs and metrics on what the coordinator does. Methods are called on the coordinator's thread
 * (lifecycle changes on the thread that caused them: the coordinator's, or the caller of {@code drain}/
 * {@code close}); they must return quickly and not call back into blocking coordinator methods.
 */
public interface ClusterListener
{
    ClusterListener NONE = new ClusterListener() {};

    default void lifecycleChanged(NodeLifecycle from, NodeLifecycle to) {}

    /** A newer assignment record was applied on this node. */
    default void generationApplied(AssignmentRecord record) {}

    /** A record older than the applied one was seen in the map and ignored. */
    default void staleRecordIgnored(AssignmentRecord stale, long appliedGeneration) {}

    /** Quorum ({@code cluster.min-size}) was reached or lost. */
    default void quorumChanged(boolean quorum, int members, int minSize) {}

    /** This node became, or stopped being, the leader. */
    default void leadershipChanged(boolean leader) {}
}
