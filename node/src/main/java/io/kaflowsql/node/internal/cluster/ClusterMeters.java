package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.cluster.AssignmentRecord;
import io.kaflowsql.coordinator.cluster.ClusterListener;
import io.kaflowsql.coordinator.cluster.NodeLifecycle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's cluster meters, fed by the coordinator's events: {@code kaflowsql_node_lifecycle{state}} (1 for
 * the current state, 0 for the others), {@code kaflowsql_cluster_leader}, {@code kaflowsql_cluster_members},
 * {@code kaflowsql_cluster_quorum}, {@code kaflowsql_assignment_generation}, and the counters
 * {@code kaflowsql_assignments_applied_total} (rebalances seen) and {@code kaflowsql_assignments_stale_total}.
 * Also logs leadership and quorum changes.
 *
 * <p>Thread-safe.
 */
final class ClusterMeters
        implements ClusterListener
{
    private static final Logger log = LoggerFactory.getLogger(ClusterMeters.class);

    private final String nodeId;
    private final AtomicReference<NodeLifecycle> lifecycle = new AtomicReference<>(NodeLifecycle.JOINING);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger leader = new AtomicInteger();
    private final AtomicInteger members = new AtomicInteger();
    private final AtomicInteger quorum = new AtomicInteger();
    private final Counter applied;
    private final Counter stale;

    ClusterMeters(String nodeId, MeterRegistry registry)
    {
        this.nodeId = nodeId;
        for (NodeLifecycle state : NodeLifecycle.values()) {
            Gauge.builder("kaflowsql_node_lifecycle", lifecycle, current -> current.get() == state ? 1 : 0)
                    .description("1 for this node's lifecycle state (JOINING, BOOTSTRAPPING, READY, DRAINING, LEFT), 0 for the others")
                    .tag("state", state.name())
                    .register(registry);
        }
        Gauge.builder("kaflowsql_cluster_leader", leader, AtomicInteger::get).description("1 while this node is the leader").register(registry);
        Gauge.builder("kaflowsql_cluster_members", members, AtomicInteger::get).description("Members this node sees").register(registry);
        Gauge.builder("kaflowsql_cluster_quorum", quorum, AtomicInteger::get)
                .description("1 while the cluster has at least cluster.min-size members").register(registry);
        Gauge.builder("kaflowsql_assignment_generation", generation, AtomicLong::get)
                .description("Generation of the assignment record applied on this node").register(registry);
        this.applied = Counter.builder("kaflowsql_assignments_applied_total").description("Assignment records applied (rebalances)").register(registry);
        this.stale = Counter.builder("kaflowsql_assignments_stale_total").description("Stale assignment records ignored").register(registry);
    }

    @Override
    public void lifecycleChanged(NodeLifecycle from, NodeLifecycle to)
    {
        lifecycle.set(to);
    }

    @Override
    public void generationApplied(AssignmentRecord record)
    {
        generation.set(record.generation());
        applied.increment();
    }

    @Override
    public void staleRecordIgnored(AssignmentRecord staleRecord, long appliedGeneration)
    {
        stale.increment();
    }

    @Override
    public void quorumChanged(boolean reached, int memberCount, int minSize)
    {
        members.set(memberCount);
        quorum.set(reached ? 1 : 0);
    }

    @Override
    public void leadershipChanged(boolean isLeader)
    {
        leader.set(isLeader ? 1 : 0);
        log.info("Node {} {} the leader", nodeId, isLeader ? "is now" : "is no longer");
    }
}
