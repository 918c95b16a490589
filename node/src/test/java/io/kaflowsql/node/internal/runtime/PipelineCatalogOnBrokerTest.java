package io.kaflowsql.node.internal.runtime;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.DescribePipelineRequest;
import io.kaflowsql.protocol.admin.v1.ListPipelinesRequest;
import io.kaflowsql.protocol.admin.v1.PipelineChangeResponse;
import io.kaflowsql.protocol.admin.v1.PipelineProblems;
import io.kaflowsql.protocol.admin.v1.PipelineRef;
import io.kaflowsql.protocol.admin.v1.PipelineSummary;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The durable pipeline catalog through the admin API of a standalone node on the embedded broker: a deployed
 * pipeline runs, comes back after a restart without being deployed again, pauses and resumes without losing or
 * repeating a record, and is closed when deleted. The node also runs a pipeline from a file, which the catalog
 * cannot replace or delete. The steps build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineCatalogOnBrokerTest
{
    private static final String TOKEN = "catalog-token";
    private static final int PARTITIONS = 2;
    private static final int USERS = 4;
    private static final String FILE_PREFIX = "catf_";
    private static final String FILE_PIPELINE = FILE_PREFIX + "personalization";
    private static final String PREFIX = "catd_";
    private static final String PIPELINE = PREFIX + "personalization";
    private static final String OUTPUT = PREFIX + "personalized_events";

    private EmbeddedKafkaBroker broker;
    private NodeConfig config;
    private CompiledPipeline filePipeline;
    private KaflowNode node;
    private ManagedChannel channel;
    private AdminGrpc.AdminBlockingStub admin;
    private int clicks;

    @BeforeAll
    void startNode(@TempDir Path dir)
            throws Exception
    {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, FILE_PREFIX, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        filePipeline = BrokerFixture.seedPipeline(FILE_PREFIX);
        config = BrokerFixture.config(broker.bootstrapServers(), dir.resolve("state"))
                .withAdmin(new NodeConfig.AdminSettings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Optional.empty()));
        startNode();
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, PREFIX + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", now);
            for (int user = 0; user < USERS; user++) {
                BrokerFixture.send(producer, PREFIX + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", now);
            }
            producer.flush();
        }
    }

    private void startNode()
            throws InterruptedException
    {
        node = KaflowNode.start(config, List.of(filePipeline), Clock.systemUTC());
        assertThat(node.awaitReady(120, TimeUnit.SECONDS)).as("node ready").isTrue();
        channel = Grpc.newChannelBuilder("127.0.0.1:" + node.adminPort(), InsecureChannelCredentials.create()).build();
        admin = AdminGrpc.newBlockingStub(channel).withInterceptors(new BearerToken(TOKEN));
    }

    private void stopNode()
    {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (node != null) {
            node.close();
        }
    }

    @AfterAll
    void stopAll()
    {
        stopNode();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void aDeployedPipelineRunsAndWritesItsOutput()
            throws Exception
    {
        PipelineChangeResponse deployed = admin.deployPipeline(DeployPipelineRequest.newBuilder()
                .setYaml(BrokerFixture.seedYaml(PREFIX)).setFileName("catalog.yaml").build());

        assertThat(deployed.getPipeline()).isEqualTo(PIPELINE);
        assertThat(deployed.getMessage()).contains("deployed pipeline " + PIPELINE, "revision 1");
        assertThat(summaries()).containsOnlyKeys(FILE_PIPELINE, PIPELINE);
        assertThat(summaries().get(PIPELINE).getSource()).isEqualTo("catalog");
        assertThat(summaries().get(FILE_PIPELINE).getSource()).isEqualTo("file");
        BrokerFixture.waitFor(() -> runtime().map(PipelineRuntime::isReady).orElse(false) && dimensionsLoaded());
        sendClicks(6);
        assertThat(exactlyOnce(BrokerFixture.readUntil(broker.bootstrapServers(), OUTPUT, records -> records.size() >= clicks))).hasSize(clicks);
    }

    @Test
    @Order(2)
    void aPausedPipelineWritesNothingUntilResumedThenEveryRecordSentMeanwhileExactlyOnce()
            throws Exception
    {
        PipelineChangeResponse paused = admin.pausePipeline(ref(PIPELINE));

        assertThat(paused.getMessage()).contains("paused pipeline " + PIPELINE);
        BrokerFixture.waitFor(() -> describeState(PIPELINE).equals("PAUSED"));
        assertThat(summaries().get(PIPELINE).getState()).isEqualTo("PAUSED");
        assertThat(admin.pausePipeline(ref(PIPELINE)).getMessage()).contains("paused already");
        int before = clicks;
        sendClicks(8);
        assertThat(BrokerFixture.readFor(broker.bootstrapServers(), OUTPUT, Duration.ofSeconds(4))).as("no output while paused").hasSize(before);
        assertThat(describeState(PIPELINE)).isEqualTo("PAUSED");
        assertThat(runtime().orElseThrow().ownedPartitions()).as("a paused pipeline keeps its tasks").containsExactlyInAnyOrder(0, 1);

        PipelineChangeResponse resumed = admin.resumePipeline(ref(PIPELINE));

        assertThat(resumed.getMessage()).contains("resumed pipeline " + PIPELINE);
        assertThat(describeState(PIPELINE)).isEqualTo("RUNNING");
        assertThat(exactlyOnce(BrokerFixture.readUntil(broker.bootstrapServers(), OUTPUT, records -> records.size() >= clicks))).hasSize(clicks);
    }

    @Test
    @Order(3)
    void aRestartedNodeRunsTheCatalogPipelineAgainWithoutARedeploy()
            throws Exception
    {
        admin.pausePipeline(ref(FILE_PIPELINE)); // the state of a file pipeline is kept in the catalog too
        stopNode();

        startNode();

        assertThat(summaries()).containsOnlyKeys(FILE_PIPELINE, PIPELINE);
        assertThat(summaries().get(PIPELINE).getSource()).isEqualTo("catalog");
        BrokerFixture.waitFor(() -> describeState(FILE_PIPELINE).equals("PAUSED"));
        BrokerFixture.waitFor(() -> runtime().map(PipelineRuntime::isReady).orElse(false) && dimensionsLoaded());
        sendClicks(5);
        assertThat(exactlyOnce(BrokerFixture.readUntil(broker.bootstrapServers(), OUTPUT, records -> records.size() >= clicks))).hasSize(clicks);
        assertThat(admin.resumePipeline(ref(FILE_PIPELINE)).getMessage()).contains("resumed pipeline " + FILE_PIPELINE);
        assertThat(describeState(FILE_PIPELINE)).isEqualTo("RUNNING");
    }

    @Test
    @Order(4)
    void changesOfFilePipelinesUnknownPipelinesAndInvalidPipelinesAreRefused()
            throws Exception
    {
        String fileYaml = BrokerFixture.seedYaml(FILE_PREFIX);
        String invalid = BrokerFixture.seedYaml(PREFIX).replace("window: 2h", "windw: 2h");

        assertThatThrownBy(() -> admin.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(fileYaml).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains(FILE_PIPELINE, "pipeline file");
                });
        assertThatThrownBy(() -> admin.deletePipeline(ref(FILE_PIPELINE)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        for (var change : List.<Function<PipelineRef, PipelineChangeResponse>>of(admin::pausePipeline, admin::resumePipeline, admin::deletePipeline)) {
            assertThatThrownBy(() -> change.apply(ref("nope")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).contains("nope", PIPELINE, FILE_PIPELINE);
                    });
        }
        assertThatThrownBy(() -> admin.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(invalid).setFileName("bad.yaml").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("bad.yaml:2:1");
                    PipelineProblems problems = Status.trailersFromThrowable(e).get(ProtoUtils.keyForProto(PipelineProblems.getDefaultInstance()));
                    assertThat(problems.getProblemsList()).anySatisfy(problem -> {
                        assertThat(problem.getLine()).isEqualTo(2);
                        assertThat(problem.getColumn()).isEqualTo(1);
                    });
                });
        assertThat(summaries()).containsOnlyKeys(FILE_PIPELINE, PIPELINE);
        assertThat(node.catalog().entry(PIPELINE).orElseThrow().revision()).as("refused changes write nothing").isEqualTo(3);
    }

    @Test
    @Order(5)
    void aDeletedPipelineIsClosedAndGoneFromTheList()
    {
        PipelineRuntime runtime = runtime().orElseThrow();

        PipelineChangeResponse deleted = admin.deletePipeline(ref(PIPELINE));

        assertThat(deleted.getMessage()).contains("deleted pipeline " + PIPELINE);
        assertThat(summaries()).containsOnlyKeys(FILE_PIPELINE);
        assertThat(runtime.state()).isEqualTo(PipelineRuntime.State.STOPPED);
        assertThat(node.runtimes()).extracting(each -> each.pipeline().name()).containsExactly(FILE_PIPELINE);
        assertThat(node.catalog().entry(PIPELINE)).isEmpty();
        assertThatThrownBy(() -> admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(PIPELINE).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private Optional<PipelineRuntime> runtime()
    {
        return node.runtimes().stream().filter(runtime -> runtime.pipeline().name().equals(PIPELINE)).findFirst();
    }

    private boolean dimensionsLoaded()
    {
        return runtime().map(PipelineRuntime::dimensionsReady).orElse(false);
    }

    private Map<String, PipelineSummary> summaries()
    {
        return admin.listPipelines(ListPipelinesRequest.getDefaultInstance()).getPipelinesList().stream()
                .collect(Collectors.toMap(PipelineSummary::getPipeline, Function.identity()));
    }

    private String describeState(String pipeline)
    {
        return admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(pipeline).build()).getState();
    }

    private static PipelineRef ref(String pipeline)
    {
        return PipelineRef.newBuilder().setPipeline(pipeline).build();
    }

    /** Sends {@code count} more clicks (event ids go on from the last test's), each of a user with a profile. */
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

    /** The event ids of the output, each checked to appear once. */
    private static List<String> exactlyOnce(List<ConsumerRecord<String, String>> records)
    {
        List<String> ids = records.stream().map(record -> record.value().replaceAll(".*\"event_id\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(ids).doesNotHaveDuplicates();
        return ids;
    }
}
