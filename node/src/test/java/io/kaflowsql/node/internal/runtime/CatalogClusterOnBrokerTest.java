package io.kaflowsql.node.internal.runtime;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.DescribePipelineRequest;
import io.kaflowsql.protocol.admin.v1.PipelineChangeResponse;
import io.kaflowsql.protocol.admin.v1.PipelineRef;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline catalog of a two-node cluster (one JVM, embedded broker) whose nodes start without any pipeline file:
 * a pipeline deployed through the follower runs on both nodes, and a pause asked of one node stops the tasks of the
 * other too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogClusterOnBrokerTest
{
    private static final String TOKEN = "catalog-cluster-token";
    private static final int PARTITIONS = 2;
    private static final int USERS = 4;
    private static final String PREFIX = "catk_";
    private static final String PIPELINE = PREFIX + "personalization";
    private static final String OUTPUT = PREFIX + "personalized_events";

    private EmbeddedKafkaBroker broker;
    private KaflowNode leader;
    private KaflowNode follower;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private int clicks;

    @BeforeAll
    void startCluster(@TempDir Path dir)
            throws Exception
    {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        int portA = FreePorts.pick();
        int portB = FreePorts.pick();
        List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
        leader = KaflowNode.start(config(dir.resolve("a"), "catalog-a", portA, members), List.of(), Clock.systemUTC());
        assertThat(leader.awaitReady(120, TimeUnit.SECONDS)).as("first node ready").isTrue();
        follower = KaflowNode.start(config(dir.resolve("b"), "catalog-b", portB, members), List.of(), Clock.systemUTC());
        assertThat(follower.awaitReady(120, TimeUnit.SECONDS)).as("second node ready").isTrue();
        BrokerFixture.waitFor(() -> leader.membership().orElseThrow().coordinator().isLeader());
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, PREFIX + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", now);
            for (int user = 0; user < USERS; user++) {
                BrokerFixture.send(producer, PREFIX + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", now);
            }
            producer.flush();
        }
    }

    private NodeConfig config(Path state, String nodeId, int port, List<String> members)
    {
        NodeConfig base = BrokerFixture.config(broker.bootstrapServers(), state);
        return base.withCluster(base.cluster().asMember(nodeId, "127.0.0.1", port, members, 0))
                .withAdmin(new NodeConfig.AdminSettings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Optional.empty()));
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

    @Test
    void aPipelineDeployedThroughTheFollowerRunsOnBothNodesAndAPauseReachesEveryOwner()
            throws Exception
    {
        PipelineChangeResponse deployed = admin(follower).deployPipeline(DeployPipelineRequest.newBuilder().setYaml(BrokerFixture.seedYaml(PREFIX)).build());

        assertThat(deployed.getMessage()).contains("deployed pipeline " + PIPELINE);
        assertThat(runtime(leader)).as("applied on the leader when the call returns").isPresent();
        BrokerFixture.waitFor(() -> ownsATask(leader) && ownsATask(follower));
        sendClicks(6);
        assertThat(BrokerFixture.readUntil(broker.bootstrapServers(), OUTPUT, records -> records.size() >= clicks)).hasSize(clicks);

        admin(follower).pausePipeline(PipelineRef.newBuilder().setPipeline(PIPELINE).build());

        BrokerFixture.waitFor(() -> runtime(leader).orElseThrow().isPaused() && runtime(follower).orElseThrow().isPaused());
        for (KaflowNode node : List.of(leader, follower)) {
            assertThat(admin(node).describePipeline(DescribePipelineRequest.newBuilder().setPipeline(PIPELINE).build()).getState()).isEqualTo("PAUSED");
        }
        int before = clicks;
        sendClicks(6);
        assertThat(BrokerFixture.readFor(broker.bootstrapServers(), OUTPUT, Duration.ofSeconds(4))).as("no output while paused").hasSize(before);
        assertThat(ownsATask(leader) && ownsATask(follower)).as("paused pipelines keep their tasks").isTrue();

        admin(leader).resumePipeline(PipelineRef.newBuilder().setPipeline(PIPELINE).build());

        List<ConsumerRecord<String, String>> output = BrokerFixture.readUntil(broker.bootstrapServers(), OUTPUT, records -> records.size() >= clicks);
        assertThat(output.stream().map(ConsumerRecord::value).distinct()).hasSize(clicks);
        assertThat(output).hasSize(clicks);
    }

    private static Optional<PipelineRuntime> runtime(KaflowNode node)
    {
        return node.runtimes().stream().filter(runtime -> runtime.pipeline().name().equals(PIPELINE)).findFirst();
    }

    private static boolean ownsATask(KaflowNode node)
    {
        return node.membership().orElseThrow().ownedTasks().stream().anyMatch(task -> task.startsWith(PIPELINE + "-"));
    }

    private AdminGrpc.AdminBlockingStub admin(KaflowNode node)
    {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + node.adminPort(), InsecureChannelCredentials.create()).build();
        channels.add(channel);
        return AdminGrpc.newBlockingStub(channel).withInterceptors(new BearerToken(TOKEN)).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    private void sendClicks(int count)
    {
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                String user = "u" + (clicks % USERS);
                BrokerFixture.send(producer, PREFIX + "clickstreams", user, BrokerFixture.click("e" + clicks, user, now + i), now + i);
                clicks++;
            }
            producer.flush();
        }
    }
}
