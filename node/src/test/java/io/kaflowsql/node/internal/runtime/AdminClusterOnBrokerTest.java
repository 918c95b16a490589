package io.kaflowsql.node.internal.runtime;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.protocol.ProtocolVersion;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.CheckpointNowRequest;
import io.kaflowsql.protocol.admin.v1.CheckpointNowResponse;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;
import io.kaflowsql.protocol.admin.v1.NodeCheckpoints;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceRequest;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceResponse;
import io.kaflowsql.protocol.transfer.v1.ReleaseRequest;
import io.kaflowsql.protocol.transfer.v1.StateTransferGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin API of a two-node cluster (one JVM, embedded broker): any node answers for the cluster, a rebalance is
 * forwarded to the leader, a drain to the node named, and state transfer between the nodes needs the token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminClusterOnBrokerTest
{
    private static final String TOKEN = "cluster-admin-token";
    private static final int PARTITIONS = 2;
    private static final String PREFIX = "admc_";
    private static final String PIPELINE = PREFIX + "personalization";

    private EmbeddedKafkaBroker broker;
    private KaflowNode leader;
    private KaflowNode follower;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void startCluster(@TempDir Path dir)
            throws Exception
    {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(PREFIX);
        int portA = FreePorts.pick();
        int portB = FreePorts.pick();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        leader = KaflowNode.start(config(dir.resolve("a"), "admin-a", portA, members), List.of(pipeline), Clock.systemUTC());
        assertThat(leader.awaitReady(120, TimeUnit.SECONDS)).as("first node ready").isTrue();
        follower = KaflowNode.start(config(dir.resolve("b"), "admin-b", portB, members), List.of(BrokerFixture.seedPipeline(PREFIX)), Clock.systemUTC());
        assertThat(follower.awaitReady(120, TimeUnit.SECONDS)).as("second node ready").isTrue();
        BrokerFixture.waitFor(() -> ownedBy(leader) == 1 && ownedBy(follower) == 1);
    }

    private NodeConfig config(Path state, String nodeId, int port, List<String> members)
    {
        NodeConfig base = BrokerFixture.config(broker.bootstrapServers(), state);
        return base.withCluster(base.cluster().asMember(nodeId, "127.0.0.1", port, members, 0))
                .withAdmin(new NodeConfig.AdminSettings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private static int ownedBy(KaflowNode node)
    {
        return node.membership().orElseThrow().ownedTasks().size();
    }

    @AfterAll
    void stopCluster()
    {
        channels.forEach(ManagedChannel::shutdownNow);
        for (KaflowNode node : new KaflowNode[] {follower, leader}) {
            if (node != null) {
                node.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ManagedChannel channel(KaflowNode node)
    {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + node.adminPort(), InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return channel;
    }

    private AdminGrpc.AdminBlockingStub admin(KaflowNode node)
    {
        return AdminGrpc.newBlockingStub(channel(node)).withInterceptors(new BearerToken(TOKEN)).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    @Test
    void anyNodeAnswersForTheWholeClusterThenRebalancesThroughTheLeaderAndDrainsTheNodeNamed()
            throws Exception
    {
        // any node answers, asking each peer for its version and lag
        ClusterStatus status = admin(follower).getClusterStatus(GetClusterStatusRequest.getDefaultInstance());
        assertThat(status.getClustered()).isTrue();
        assertThat(status.getAnsweredBy()).isEqualTo("admin-b");
        assertThat(status.getLeaderNodeId()).isEqualTo("admin-a");
        assertThat(status.getNodesList()).extracting(NodeInfo::getNodeId).containsExactly("admin-a", "admin-b");
        assertThat(status.getNodesList()).allSatisfy(node -> {
            assertThat(node.getReachable()).isTrue();
            assertThat(node.getVersion()).isEqualTo(KaflowNode.version());
            assertThat(node.getProtocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
            assertThat(node.getLifecycle()).isEqualTo("READY");
            assertThat(node.getOwnedTasksList()).hasSize(1);
        });
        assertThat(status.getNodes(0).getLeader()).isTrue();
        assertThat(status.getNodes(1).getLeader()).isFalse();

        // a rebalance asked of the follower is done by the leader
        TriggerRebalanceResponse rebalance = admin(follower).triggerRebalance(TriggerRebalanceRequest.getDefaultInstance());
        assertThat(rebalance.getLeaderNodeId()).isEqualTo("admin-a");
        assertThat(rebalance.getGenerationAfter()).isGreaterThanOrEqualTo(rebalance.getGenerationBefore()).isPositive();

        // checkpoint now on every node
        CheckpointNowResponse checkpoints = admin(follower).checkpointNow(CheckpointNowRequest.newBuilder().setAllNodes(true).build());
        assertThat(checkpoints.getNodesList()).extracting(NodeCheckpoints::getNodeId).containsExactlyInAnyOrder("admin-a", "admin-b");
        assertThat(checkpoints.getNodesList()).allSatisfy(node -> {
            assertThat(node.getError()).isEmpty();
            assertThat(node.getTasksList()).hasSize(1);
        });

        // an unknown node cannot be drained
        assertThatThrownBy(() -> admin(follower).drainNode(DrainNodeRequest.newBuilder().setNodeId("admin-x").build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("admin-x", "admin-a", "admin-b");
                });

        // draining the leader, asked of the follower: progress streams until the leader owns nothing
        List<DrainProgress> progress = new ArrayList<>();
        admin(follower).drainNode(DrainNodeRequest.newBuilder().setNodeId("admin-a").setTimeoutMillis(90_000).build()).forEachRemaining(progress::add);
        assertThat(progress).isNotEmpty().allSatisfy(step -> assertThat(step.getNodeId()).isEqualTo("admin-a"));
        DrainProgress last = progress.get(progress.size() - 1);
        assertThat(last.getDone()).isTrue();
        assertThat(last.getCanStop()).as(last.toString()).isTrue();
        assertThat(last.getLifecycle()).isEqualTo("DRAINING");
        assertThat(last.getOwnedTasksList()).isEmpty();
        assertThat(ownedBy(leader)).isZero();
        BrokerFixture.waitFor(() -> ownedBy(follower) == PARTITIONS);
    }

    @Test
    void stateTransferBetweenNodesNeedsTheClusterToken()
    {
        StateTransferGrpc.StateTransferBlockingStub anonymous = StateTransferGrpc.newBlockingStub(channel(leader));
        ReleaseRequest release = ReleaseRequest.newBuilder().setProtocolVersion(ProtocolVersion.CURRENT).setTransferId("none").build();

        assertThatThrownBy(() -> anonymous.release(release))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(anonymous.withInterceptors(new BearerToken(TOKEN)).release(release)).isNotNull();
    }
}
