package io.kaflowsql.node.internal.admin;

import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.cluster.AssignmentRecord;
import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.coordinator.cluster.NodeStatus;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.internal.cluster.ClusterMembership;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.admin.v1.AssignmentView;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.PipelineState;
import io.kaflowsql.protocol.admin.v1.TaskAssignment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Translates this node's and the cluster's state into the admin API's status messages. Reads only; thread-safe.
 */
final class ClusterViews
{
    static final String STANDALONE = "STANDALONE";

    private ClusterViews() {}

    /** This node's own entry, with everything only it knows (version, lag, pipeline states). */
    static NodeInfo localNode(AdminContext context)
    {
        NodeInfo.Builder node = NodeInfo.newBuilder()
                .setNodeId(context.nodeId())
                .setAddress(context.address().get())
                .setVersion(context.version())
                .setProtocolVersion(context.formats().supported().range(Format.PROTOCOL).max())
                .setReadableFormats(context.formats().supported().toAttribute())
                .putAllWrittenFormats(written(context))
                .setReachable(true)
                .setLag(context.gaugeSum(AdminContext.CONSUMER_LAG, null));
        for (PipelineRuntime runtime : context.runtimes()) {
            node.addPipelines(PipelineState.newBuilder().setPipeline(runtime.pipeline().name()).setState(PipelineViews.state(runtime)));
        }
        Optional<ClusterMembership> membership = context.membership().get();
        if (membership.isEmpty()) {
            Set<String> owned = new TreeSet<>();
            context.runtimes().forEach(runtime -> runtime.ownedPartitions().forEach(partition -> owned.add(new TaskId(runtime.pipeline().name(), partition).toString())));
            return node.setLifecycle(STANDALONE).setLeader(true).addAllOwnedTasks(owned).build();
        }
        ClusterCoordinator coordinator = membership.get().coordinator();
        node.setLifecycle(coordinator.lifecycle().name()).setLeader(coordinator.isLeader()).addAllOwnedTasks(membership.get().ownedTasks());
        coordinator.peers().stream().filter(status -> status.nodeId().equals(context.nodeId())).findFirst().ifPresent(self -> {
            node.addAllStandbyTasks(names(self.warmTasks().keySet()));
            node.addAllPreparedTasks(names(self.preparedTasks()));
        });
        return node.build();
    }

    /**
     * Every live node: what the cluster's shared statuses say, completed by each node's own answer ({@code ask}: this
     * node answers itself; empty when a peer could not be asked, which marks it unreachable).
     */
    static ClusterStatus cluster(AdminContext context, Function<NodeStatus, Optional<NodeInfo>> ask)
    {
        ClusterStatus.Builder status = ClusterStatus.newBuilder()
                .setClusterName(context.clusterName())
                .setAnsweredBy(context.nodeId())
                .putAllEffectiveFormats(written(context));
        Optional<ClusterMembership> membership = context.membership().get();
        if (membership.isEmpty()) {
            return status.setClustered(false).setLeaderNodeId(context.nodeId()).addNodes(localNode(context)).build();
        }
        ClusterCoordinator coordinator = membership.get().coordinator();
        AssignmentRecord record = coordinator.currentAssignment();
        status.setClustered(true).setAssignmentGeneration(record.generation());
        String leader = record.leaderNodeId();
        for (NodeStatus peer : sorted(coordinator.peers())) {
            NodeInfo node = peer.nodeId().equals(context.nodeId()) ? localNode(context) : ask.apply(peer).orElseGet(() -> fromStatus(peer, record));
            if (node.getLeader() && node.getReachable()) {
                leader = node.getNodeId();
            }
            status.addNodes(node);
        }
        return status.setLeaderNodeId(leader).build();
    }

    /** A peer as the shared status describes it, for when it cannot be asked itself. */
    static NodeInfo fromStatus(NodeStatus peer, AssignmentRecord record)
    {
        return NodeInfo.newBuilder()
                .setNodeId(peer.nodeId())
                .setAddress(peer.transferAddress())
                .setLifecycle(peer.lifecycle().name())
                .setLeader(peer.nodeId().equals(record.leaderNodeId()))
                .addAllOwnedTasks(names(peer.ownedTasks()))
                .addAllStandbyTasks(names(peer.warmTasks().keySet()))
                .addAllPreparedTasks(names(peer.preparedTasks()))
                .setReachable(false)
                .build();
    }

    /** The assignment in force; a standalone node owns every task itself. */
    static AssignmentView assignment(AdminContext context)
    {
        Optional<ClusterMembership> membership = context.membership().get();
        if (membership.isEmpty()) {
            AssignmentView.Builder view = AssignmentView.newBuilder().setLeaderNodeId(context.nodeId()).addMembers(context.nodeId());
            for (PipelineRuntime runtime : context.runtimes()) {
                for (int partition : new TreeSet<>(runtime.ownedPartitions())) {
                    view.addTasks(TaskAssignment.newBuilder().setTask(new TaskId(runtime.pipeline().name(), partition).toString()).setOwner(context.nodeId()));
                }
            }
            return view.build();
        }
        AssignmentRecord record = membership.get().coordinator().currentAssignment();
        AssignmentView.Builder view = AssignmentView.newBuilder()
                .setGeneration(record.generation())
                .setLeaderNodeId(record.leaderNodeId())
                .addAllMembers(record.members());
        Map<TaskId, String> owners = new TreeMap<>(record.assignment().owners());
        Set<TaskId> tasks = new TreeSet<>(owners.keySet());
        tasks.addAll(record.assignment().standbys().keySet());
        for (TaskId task : tasks) {
            view.addTasks(TaskAssignment.newBuilder()
                    .setTask(task.toString())
                    .setOwner(owners.getOrDefault(task, ""))
                    .addAllStandbys(record.assignment().standbysOf(task)));
        }
        return view.build();
    }

    /** The versions this node writes now, by format name. */
    private static Map<String, Integer> written(AdminContext context)
    {
        Map<String, Integer> written = new TreeMap<>();
        context.formats().writing().forEach((format, version) -> written.put(format.key(), version));
        return written;
    }

    static Optional<String> addressOf(AdminContext context, String nodeId)
    {
        return context.membership().get()
                .flatMap(membership -> membership.coordinator().peers().stream().filter(status -> status.nodeId().equals(nodeId)).findFirst())
                .map(NodeStatus::transferAddress);
    }

    private static List<NodeStatus> sorted(List<NodeStatus> statuses)
    {
        return statuses.stream().sorted(java.util.Comparator.comparing(NodeStatus::nodeId)).toList();
    }

    private static List<String> names(Set<TaskId> tasks)
    {
        return new TreeSet<>(tasks).stream().map(TaskId::toString).toList();
    }
}
