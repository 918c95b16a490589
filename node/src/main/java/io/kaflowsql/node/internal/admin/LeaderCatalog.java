package io.kaflowsql.node.internal.admin;

import io.grpc.Status;
import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.internal.cluster.ClusterMembership;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.PipelineRef;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Routes catalog changes to the node that accepts them: on the leader (or a standalone node) they go to the local
 * {@link PipelineCatalog}; any other node forwards the call, once, to the leader, which validates (compiles) the
 * pipeline again, writes the change and answers when it applied it. A forwarded call that reaches a node that is no
 * longer the leader is refused with {@code UNAVAILABLE} (leadership is moving: retry), never forwarded again.
 *
 * <p>Thread-safe.
 */
final class LeaderCatalog
        implements PipelineCatalog
{
    private static final long FORWARD_DEADLINE_SECONDS = 90;

    private final PipelineCatalog local;
    private final AdminContext context;
    private final PeerChannels peers;

    LeaderCatalog(PipelineCatalog local, AdminContext context, PeerChannels peers)
    {
        this.local = requireNonNull(local, "local is null");
        this.context = requireNonNull(context, "context is null");
        this.peers = requireNonNull(peers, "peers is null");
    }

    @Override
    public String deploy(CompiledPipeline pipeline, String yaml)
    {
        return leader("deploy " + pipeline.name())
                .map(leader -> leader.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(yaml).setFileName(pipeline.name() + ".yaml").build()).getMessage())
                .orElseGet(() -> local.deploy(pipeline, yaml));
    }

    @Override
    public String pause(String pipeline)
    {
        return forwardOr(pipeline, "pause", leader -> leader.pausePipeline(ref(pipeline)).getMessage(), () -> local.pause(pipeline));
    }

    @Override
    public String resume(String pipeline)
    {
        return forwardOr(pipeline, "resume", leader -> leader.resumePipeline(ref(pipeline)).getMessage(), () -> local.resume(pipeline));
    }

    @Override
    public String delete(String pipeline)
    {
        return forwardOr(pipeline, "delete", leader -> leader.deletePipeline(ref(pipeline)).getMessage(), () -> local.delete(pipeline));
    }

    private String forwardOr(String pipeline, String verb, Function<AdminGrpc.AdminBlockingStub, String> forward, java.util.function.Supplier<String> here)
    {
        return leader(verb + " " + pipeline).map(forward).orElseGet(here);
    }

    /** The leader's admin stub when the change must be forwarded; empty when this node accepts it. */
    private Optional<AdminGrpc.AdminBlockingStub> leader(String what)
    {
        Optional<ClusterMembership> membership = context.membership().get();
        if (membership.isEmpty()) {
            return Optional.empty(); // standalone (or not joined yet): the catalog topic orders the writes
        }
        ClusterCoordinator coordinator = membership.get().coordinator();
        if (coordinator.isLeader()) {
            return Optional.empty();
        }
        String leader = coordinator.currentAssignment().leaderNodeId();
        if (leader.isEmpty() && AdminService.FORWARDED_BY.get() == null) {
            // no assignment was ever published (a cluster without tasks), so no leader is known here: the catalog
            // topic orders the writes (two concurrent changes of one name: the later one wins)
            return Optional.empty();
        }
        if (leader.isEmpty() || leader.equals(context.nodeId()) || AdminService.FORWARDED_BY.get() != null) {
            throw Status.UNAVAILABLE.withDescription("cannot " + what + ": no leader is known to node " + context.nodeId()
                    + " right now (leadership is moving): retry").asRuntimeException();
        }
        String address = ClusterViews.addressOf(context, leader).orElseThrow(() -> Status.UNAVAILABLE
                .withDescription("cannot " + what + ": the leader " + leader + " is not reachable from node " + context.nodeId() + " right now: retry")
                .asRuntimeException());
        return Optional.of(peers.admin(address).withDeadlineAfter(FORWARD_DEADLINE_SECONDS, TimeUnit.SECONDS));
    }

    private static PipelineRef ref(String pipeline)
    {
        return PipelineRef.newBuilder().setPipeline(pipeline).build();
    }
}
