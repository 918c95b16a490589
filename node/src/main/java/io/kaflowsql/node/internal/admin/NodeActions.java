package io.kaflowsql.node.internal.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.coordinator.cluster.NodeStatus;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.node.internal.cluster.ClusterMembership;
import io.kaflowsql.protocol.admin.v1.CheckpointNowRequest;
import io.kaflowsql.protocol.admin.v1.CheckpointNowResponse;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;
import io.kaflowsql.protocol.admin.v1.NodeCheckpoints;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceRequest;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The admin API's actions on the cluster: drain a node, rebalance, checkpoint now, and asking peers for their own
 * status. Each runs here when this is the node that must act, or is forwarded (once) to that node: the named node
 * for a drain, the leader for a rebalance, every node for a cluster-wide checkpoint. Thread-safe.
 */
final class NodeActions
{
    private static final Logger log = LoggerFactory.getLogger(NodeActions.class);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PEER_STATUS_DEADLINE = Duration.ofSeconds(3);
    private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REBALANCE_WAIT = Duration.ofSeconds(3);
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private final AdminContext context;
    private final PeerChannels peers;
    private final NodeDrainer drainer;
    private final Clock clock;

    NodeActions(AdminContext context, PeerChannels peers, NodeDrainer drainer, Clock clock)
    {
        this.context = requireNonNull(context, "context is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.drainer = requireNonNull(drainer, "drainer is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A peer's own entry (version, lag, ...), or empty when it cannot be asked now. */
    Optional<NodeInfo> askNode(NodeStatus peer)
    {
        try {
            var status = peers.admin(peer.transferAddress())
                    .withDeadlineAfter(PEER_STATUS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .getClusterStatus(GetClusterStatusRequest.newBuilder().setLocalOnly(true).build());
            return status.getNodesList().stream().findFirst();
        }
        catch (RuntimeException e) {
            log.debug("Node {} could not ask {} at {} for its status: {}", context.nodeId(), peer.nodeId(), peer.transferAddress(), e.toString());
            return Optional.empty();
        }
    }

    /** Drains the named node (this one when none is named), streaming progress until it ended. */
    void drain(DrainNodeRequest request, StreamObserver<DrainProgress> response)
    {
        String target = request.getNodeId().isBlank() ? context.nodeId() : request.getNodeId();
        Duration timeout = request.getTimeoutMillis() > 0 ? Duration.ofMillis(request.getTimeoutMillis()) : DEFAULT_DRAIN_TIMEOUT;
        if (!target.equals(context.nodeId())) {
            String address = peerAddress(target);
            Iterator<DrainProgress> progress = peers.admin(address)
                    .withDeadlineAfter(timeout.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)
                    .drainNode(request.toBuilder().setNodeId(target).build());
            progress.forEachRemaining(response::onNext);
            response.onCompleted();
            return;
        }
        ClusterMembership membership = context.membership().get().orElseThrow(() -> Status.FAILED_PRECONDITION
                .withDescription("node " + context.nodeId() + " runs standalone: there is no other node to move its tasks to. "
                        + "Stop it directly: on SIGTERM it commits and checkpoints its state")
                .asRuntimeException());
        CompletableFuture<Boolean> drain = drainer.start(membership, timeout);
        ServerCallStreamObserver<DrainProgress> call = (ServerCallStreamObserver<DrainProgress>) response;
        while (!drain.isDone() && !call.isCancelled()) {
            call.onNext(progress(membership, false, false, "draining: " + membership.ownedTasks().size() + " task(s) still here"));
            waitFor(drain, PROGRESS_INTERVAL);
        }
        if (call.isCancelled()) {
            return; // the drain goes on without its watcher
        }
        boolean drained = !drain.isCompletedExceptionally() && drain.getNow(false);
        call.onNext(progress(membership, true, drained, drained
                ? "drained: node " + context.nodeId() + " owns no task and can be stopped"
                : "still owns tasks after " + timeout.toSeconds() + " s: drain again to keep waiting, or stop it anyway (its tasks restore elsewhere)"));
        call.onCompleted();
    }

    private DrainProgress progress(ClusterMembership membership, boolean done, boolean canStop, String message)
    {
        return DrainProgress.newBuilder()
                .setNodeId(context.nodeId())
                .setLifecycle(membership.lifecycle().name())
                .addAllOwnedTasks(membership.ownedTasks())
                .setDone(done)
                .setCanStop(canStop)
                .setMessage(message)
                .build();
    }

    /** Asks the leader (forwarding to it) to recompute the assignment now. */
    TriggerRebalanceResponse rebalance()
    {
        ClusterMembership membership = context.membership().get().orElseThrow(() -> Status.FAILED_PRECONDITION
                .withDescription("node " + context.nodeId() + " runs standalone and owns every task itself: there is nothing to rebalance")
                .asRuntimeException());
        ClusterCoordinator coordinator = membership.coordinator();
        if (!coordinator.isLeader()) {
            String leader = coordinator.currentAssignment().leaderNodeId();
            if (leader.isEmpty() || leader.equals(context.nodeId()) || AdminService.FORWARDED_BY.get() != null) {
                throw Status.UNAVAILABLE.withDescription("no leader is known to node " + context.nodeId() + " right now (leadership is moving): retry")
                        .asRuntimeException();
            }
            return peers.admin(peerAddress(leader)).withDeadlineAfter(30, TimeUnit.SECONDS).triggerRebalance(TriggerRebalanceRequest.getDefaultInstance());
        }
        long before = coordinator.currentAssignment().generation();
        coordinator.requestRebalance();
        long deadline = clock.millis() + REBALANCE_WAIT.toMillis();
        while (coordinator.currentAssignment().generation() == before && clock.millis() < deadline) {
            sleep(Duration.ofMillis(50));
        }
        long after = coordinator.currentAssignment().generation();
        return TriggerRebalanceResponse.newBuilder()
                .setLeaderNodeId(context.nodeId())
                .setGenerationBefore(before)
                .setGenerationAfter(after)
                .setMessage(after == before
                        ? "the assignment is balanced already: generation " + before + " stays in force"
                        : "published assignment generation " + after)
                .build();
    }

    /** Every open task of this node (and of every other node with {@code allNodes}) commits and checkpoints now. */
    CheckpointNowResponse checkpoint(boolean allNodes)
    {
        CheckpointNowResponse.Builder response = CheckpointNowResponse.newBuilder().addNodes(checkpointHere());
        Optional<ClusterMembership> membership = context.membership().get();
        if (!allNodes || membership.isEmpty() || AdminService.FORWARDED_BY.get() != null) {
            return response.build();
        }
        List<NodeStatus> others = membership.get().coordinator().peers().stream()
                .filter(peer -> !peer.nodeId().equals(context.nodeId()))
                .sorted(java.util.Comparator.comparing(NodeStatus::nodeId))
                .toList();
        for (NodeStatus peer : others) {
            try {
                response.addAllNodes(peers.admin(peer.transferAddress())
                        .withDeadlineAfter(CHECKPOINT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .checkpointNow(CheckpointNowRequest.getDefaultInstance())
                        .getNodesList());
            }
            catch (StatusRuntimeException e) {
                response.addNodes(NodeCheckpoints.newBuilder().setNodeId(peer.nodeId()).setError(e.getStatus().getCode() + ": " + e.getStatus().getDescription()));
            }
        }
        return response.build();
    }

    private NodeCheckpoints checkpointHere()
    {
        List<CompletableFuture<Set<Integer>>> requests = new ArrayList<>();
        context.runtimes().forEach(runtime -> requests.add(runtime.checkpointNow()));
        Set<String> tasks = new TreeSet<>();
        long deadline = clock.millis() + CHECKPOINT_TIMEOUT.toMillis();
        for (int i = 0; i < requests.size(); i++) {
            PipelineRuntime runtime = context.runtimes().get(i);
            try {
                Set<Integer> partitions = requests.get(i).get(Math.max(1, deadline - clock.millis()), TimeUnit.MILLISECONDS);
                partitions.forEach(partition -> tasks.add(new TaskId(runtime.pipeline().name(), partition).toString()));
            }
            catch (TimeoutException e) {
                throw Status.DEADLINE_EXCEEDED.withDescription("pipeline " + runtime.pipeline().name() + " on node " + context.nodeId()
                        + " did not checkpoint within " + CHECKPOINT_TIMEOUT.toSeconds() + " s (its stream thread is busy: restoring?); retry").asRuntimeException();
            }
            catch (ExecutionException e) {
                throw Status.INTERNAL.withDescription("pipeline " + runtime.pipeline().name() + " could not checkpoint: " + e.getCause()).asRuntimeException();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
            }
        }
        return NodeCheckpoints.newBuilder().setNodeId(context.nodeId()).addAllTasks(tasks).build();
    }

    private String peerAddress(String nodeId)
    {
        if (AdminService.FORWARDED_BY.get() != null) {
            throw Status.UNAVAILABLE.withDescription("node " + context.nodeId() + " is not " + nodeId + " (the cluster changed while the call was forwarded): retry")
                    .asRuntimeException();
        }
        return ClusterViews.addressOf(context, nodeId).orElseThrow(() -> Status.NOT_FOUND
                .withDescription("no live node '" + nodeId + "' in the cluster" + liveNodes() + " (see `kaflowsql admin status`)")
                .asRuntimeException());
    }

    private String liveNodes()
    {
        return context.membership().get()
                .map(membership -> "; live nodes: " + membership.coordinator().peers().stream().map(NodeStatus::nodeId).sorted().toList())
                .orElse(": node " + context.nodeId() + " runs standalone");
    }

    private static void waitFor(CompletableFuture<?> future, Duration duration)
    {
        try {
            future.get(duration.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException e) {
            // progress is reported; the outcome is read once the future is done
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
