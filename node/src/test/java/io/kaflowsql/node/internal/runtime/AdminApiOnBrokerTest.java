package io.kaflowsql.node.internal.runtime;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.cli.KaflowSql;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.protocol.ProtocolVersion;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.AssignmentView;
import io.kaflowsql.protocol.admin.v1.CheckpointNowRequest;
import io.kaflowsql.protocol.admin.v1.CheckpointNowResponse;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.DeployPipelineRequest;
import io.kaflowsql.protocol.admin.v1.DescribePipelineRequest;
import io.kaflowsql.protocol.admin.v1.DrainNodeRequest;
import io.kaflowsql.protocol.admin.v1.GetAssignmentRequest;
import io.kaflowsql.protocol.admin.v1.GetClusterStatusRequest;
import io.kaflowsql.protocol.admin.v1.JoinStats;
import io.kaflowsql.protocol.admin.v1.ListPipelinesRequest;
import io.kaflowsql.protocol.admin.v1.ListPipelinesResponse;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import io.kaflowsql.protocol.admin.v1.PipelineDescription;
import io.kaflowsql.protocol.admin.v1.PipelineProblem;
import io.kaflowsql.protocol.admin.v1.PipelineProblems;
import io.kaflowsql.protocol.admin.v1.PipelineRef;
import io.kaflowsql.protocol.admin.v1.TriggerRebalanceRequest;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineRequest;
import io.kaflowsql.protocol.admin.v1.ValidatePipelineResponse;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every admin call through a real gRPC client against a standalone node running the seed pipeline on the embedded broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiOnBrokerTest
{
    private static final String TOKEN = "s3cret-admin-token";
    private static final int PARTITIONS = 3;
    private static final int USERS = 4;
    private static final int CLICKS = 20;
    private static final String PREFIX = "adm_";
    private static final String PIPELINE = PREFIX + "personalization";

    private EmbeddedKafkaBroker broker;
    private KaflowNode node;
    private ManagedChannel channel;
    private AdminGrpc.AdminBlockingStub admin;

    @BeforeAll
    void startNode(@TempDir Path dir)
            throws Exception
    {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(PREFIX);
        NodeConfig config = BrokerFixture.config(broker.bootstrapServers(), dir.resolve("state"))
                .withAdmin(new NodeConfig.AdminSettings(Optional.of(TOKEN), Optional.empty(), Optional.empty(), Optional.empty()));
        node = KaflowNode.start(config, List.of(pipeline), Clock.systemUTC());
        assertThat(node.awaitReady(90, TimeUnit.SECONDS)).as("node ready").isTrue();
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, PREFIX + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", now);
            for (int user = 0; user < USERS; user++) {
                BrokerFixture.send(producer, PREFIX + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", now);
            }
            producer.flush();
            BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsIn(indexOf(pipeline, PREFIX + "user_profiles")) >= USERS
                    && node.runtimes().get(0).metrics().recordsIn(indexOf(pipeline, PREFIX + "products")) >= 1);
            for (int i = 0; i < CLICKS; i++) {
                String user = "u" + (i % USERS);
                BrokerFixture.send(producer, PREFIX + "clickstreams", user, BrokerFixture.click("e" + i, user, now + i), now + i);
            }
            producer.flush();
        }
        BrokerFixture.readUntil(broker.bootstrapServers(), PREFIX + "personalized_events", records -> records.size() >= CLICKS);
        channel = Grpc.newChannelBuilder("127.0.0.1:" + node.adminPort(), InsecureChannelCredentials.create()).build();
        admin = AdminGrpc.newBlockingStub(channel).withInterceptors(new BearerToken(TOKEN));
    }

    @AfterAll
    void stopNode()
    {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static int indexOf(CompiledPipeline pipeline, String topic)
    {
        return pipeline.sources().stream().filter(source -> source.topic().equals(topic)).findFirst().orElseThrow().index();
    }

    @Test
    void clusterStatusDescribesTheStandaloneNode()
    {
        ClusterStatus status = admin.getClusterStatus(GetClusterStatusRequest.getDefaultInstance());

        assertThat(status.getClustered()).isFalse();
        assertThat(status.getNodesList()).hasSize(1);
        NodeInfo self = status.getNodes(0);
        assertThat(self.getNodeId()).isEqualTo(status.getAnsweredBy()).isEqualTo(status.getLeaderNodeId());
        assertThat(self.getLifecycle()).isEqualTo("STANDALONE");
        assertThat(self.getProtocolVersion()).isEqualTo(ProtocolVersion.CURRENT);
        assertThat(self.getVersion()).isEqualTo(KaflowNode.version());
        assertThat(self.getAddress()).endsWith(":" + node.adminPort());
        assertThat(self.getReachable()).isTrue();
        assertThat(self.getOwnedTasksList()).containsExactly(PIPELINE + "-0", PIPELINE + "-1", PIPELINE + "-2");
        assertThat(self.getPipelinesList()).singleElement().satisfies(state -> {
            assertThat(state.getPipeline()).isEqualTo(PIPELINE);
            assertThat(state.getState()).isEqualTo("RUNNING");
        });
        assertThat(self.getLag()).isNotNegative();
    }

    @Test
    void assignmentOfAStandaloneNodeIsEveryTaskOnIt()
    {
        AssignmentView view = admin.getAssignment(GetAssignmentRequest.getDefaultInstance());

        assertThat(view.getTasksList()).extracting(task -> task.getTask() + "@" + task.getOwner())
                .containsExactly(PIPELINE + "-0@" + view.getLeaderNodeId(), PIPELINE + "-1@" + view.getLeaderNodeId(), PIPELINE + "-2@" + view.getLeaderNodeId());
    }

    @Test
    void listAndDescribeReportThePipelineItsPlanAndItsFigures()
    {
        ListPipelinesResponse list = admin.listPipelines(ListPipelinesRequest.getDefaultInstance());
        PipelineDescription description = admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(PIPELINE).build());

        assertThat(list.getPipelinesList()).singleElement().satisfies(summary -> {
            assertThat(summary.getPipeline()).isEqualTo(PIPELINE);
            assertThat(summary.getOutputTopic()).isEqualTo(PREFIX + "personalized_events");
            assertThat(summary.getOwnedPartitionsList()).containsExactly(0, 1, 2);
            assertThat(summary.getRecordsOut()).isGreaterThanOrEqualTo(CLICKS);
        });
        assertThat(description.getState()).isEqualTo("RUNNING");
        assertThat(description.getPlan()).startsWith("pipeline " + PIPELINE).contains("sources:", PREFIX + "clickstreams", "output columns:");
        assertThat(description.getRecordsOut()).isGreaterThanOrEqualTo(CLICKS);
        assertThat(description.getRecordsIn()).isGreaterThanOrEqualTo(CLICKS + USERS + 1);
        assertThat(description.getOwnedPartitionsList()).containsExactly(0, 1, 2);
        assertThat(description.getJoinsList()).extracting(JoinStats::getSource)
                .containsExactlyInAnyOrder(PREFIX + "user_profiles", PREFIX + "products", PREFIX + "purchase_history");
        JoinStats profiles = description.getJoinsList().stream().filter(join -> join.getSource().equals(PREFIX + "user_profiles")).findFirst().orElseThrow();
        assertThat(profiles.getLookups()).isGreaterThanOrEqualTo(CLICKS);
        assertThat(profiles.getHitRate()).isEqualTo(1.0);
        assertThat(description.getHeldNow()).isNotNegative();
    }

    @Test
    void describeOfAnUnknownPipelineIsNotFound()
    {
        assertThatThrownBy(() -> admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("nope", PIPELINE);
                });
    }

    @Test
    void validateOfAGoodPipelineReturnsItsPlan()
            throws Exception
    {
        ValidatePipelineResponse valid = admin.validatePipeline(ValidatePipelineRequest.newBuilder()
                .setYaml(Files.readString(BrokerFixture.SEED_PIPELINE)).setFileName("pipeline.yaml").build());

        assertThat(valid.getPipeline()).isEqualTo("personalization_engine");
        assertThat(valid.getPlan()).startsWith("pipeline personalization_engine").contains("output columns:");
    }

    @Test
    void validateOfAnInvalidPipelineReturnsEveryProblemWithFileLineAndColumn()
            throws Exception
    {
        String bad = Files.readString(BrokerFixture.SEED_PIPELINE).replace("window: 2h", "windw: 2h");

        assertThatThrownBy(() -> admin.validatePipeline(ValidatePipelineRequest.newBuilder().setYaml(bad).setFileName("bad.yaml").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("bad.yaml:2:1", "windw");
                    PipelineProblems problems = Status.trailersFromThrowable(e).get(ProtoUtils.keyForProto(PipelineProblems.getDefaultInstance()));
                    assertThat(problems).isNotNull();
                    assertThat(problems.getProblemsList()).anySatisfy(problem -> {
                        assertThat(problem.getFile()).isEqualTo("bad.yaml");
                        assertThat(problem.getLine()).isEqualTo(2);
                        assertThat(problem.getColumn()).isEqualTo(1);
                        assertThat(problem.getMessage()).isNotBlank();
                    });
                });
    }

    @Test
    void checkpointNowCheckpointsEveryOpenTask()
    {
        long before = node.runtimes().get(0).metrics().checkpointCount();

        CheckpointNowResponse response = admin.checkpointNow(CheckpointNowRequest.newBuilder().setAllNodes(true).build());

        assertThat(response.getNodesList()).singleElement().satisfies(checkpointed -> {
            assertThat(checkpointed.getTasksList()).containsExactly(PIPELINE + "-0", PIPELINE + "-1", PIPELINE + "-2");
            assertThat(checkpointed.getError()).isEmpty();
        });
        // every task processed records since it opened, so at least one had changed since its last checkpoint
        assertThat(node.runtimes().get(0).metrics().checkpointCount()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void drainAndRebalanceOfAStandaloneNodeAreFailedPreconditions()
    {
        assertThatThrownBy(() -> admin.drainNode(DrainNodeRequest.getDefaultInstance()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("standalone");
                });
        assertThatThrownBy(() -> admin.triggerRebalance(TriggerRebalanceRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }

    @Test
    void theFilePipelineCanBePausedAndResumedButNotReplacedOrDeleted()
            throws Exception
    {
        String yaml = BrokerFixture.seedYaml(PREFIX);

        assertThat(admin.pausePipeline(PipelineRef.newBuilder().setPipeline(PIPELINE).build()).getMessage()).contains("paused pipeline " + PIPELINE);
        BrokerFixture.waitFor(() -> admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(PIPELINE).build()).getState().equals("PAUSED"));
        assertThat(admin.resumePipeline(PipelineRef.newBuilder().setPipeline(PIPELINE).build()).getMessage()).contains("resumed pipeline " + PIPELINE);
        assertThat(admin.describePipeline(DescribePipelineRequest.newBuilder().setPipeline(PIPELINE).build()).getState()).isEqualTo("RUNNING");
        List<Runnable> refused = List.of(
                () -> admin.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(yaml).setFileName("pipeline.yaml").build()),
                () -> admin.deletePipeline(PipelineRef.newBuilder().setPipeline(PIPELINE).build()));
        for (Runnable change : refused) {
            assertThatThrownBy(change::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).contains(PIPELINE, "pipeline file");
            });
        }
        assertThatThrownBy(() -> admin.deployPipeline(DeployPipelineRequest.newBuilder().setYaml(yaml.replace("window: 2h", "windw: 2h")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(admin.listPipelines(ListPipelinesRequest.getDefaultInstance()).getPipelinesList()).singleElement()
                .satisfies(summary -> assertThat(summary.getSource()).isEqualTo("file"));
    }

    @Test
    void callsWithoutOrWithAWrongTokenAreUnauthenticated()
    {
        AdminGrpc.AdminBlockingStub anonymous = AdminGrpc.newBlockingStub(channel);
        AdminGrpc.AdminBlockingStub wrong = AdminGrpc.newBlockingStub(channel).withInterceptors(new BearerToken(TOKEN + "x"));

        for (AdminGrpc.AdminBlockingStub stub : List.of(anonymous, wrong)) {
            assertThatThrownBy(() -> stub.getClusterStatus(GetClusterStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> stub.validatePipeline(ValidatePipelineRequest.newBuilder().setYaml("name: x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void cliPrintsTablesAndJsonAndExitsWithMeaningfulCodes(@TempDir Path dir)
            throws Exception
    {
        String server = "127.0.0.1:" + node.adminPort();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), Files.readString(BrokerFixture.SEED_PIPELINE).replace("window: 2h", "windw: 2h"));

        CliRun status = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "status");
        CliRun json = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "--output", "json", "pipelines");
        CliRun fromEnvironment = cli(Map.of("KAFLOWSQL_ADMIN_TOKEN", TOKEN), "admin", "--server", server, "describe", PIPELINE);
        CliRun wrongToken = cli(Map.of(), "admin", "--server", server, "--token", "wrong", "status");
        CliRun noToken = cli(Map.of(), "admin", "--server", server, "status");
        CliRun unknown = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "describe", "nope");
        CliRun invalid = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "validate", bad.toString());
        CliRun drain = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "drain");
        CliRun checkpoint = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "checkpoint");
        CliRun usage = cli(Map.of(), "admin", "--server", server, "--token", TOKEN, "no-such-command");
        List<CliRun> changes = java.util.stream.Stream.of("pause", "resume", "delete")
                .map(command -> cli(Map.of(), "admin", "--server", server, "--token", TOKEN, command, PIPELINE))
                .toList();

        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("NODE", "STATE", "VERSION", "LAG", "STANDALONE", "standalone");
        assertThat(json.code()).as(json.toString()).isZero();
        assertThat(json.out()).contains("\"nodeId\"", "\"pipeline\" : \"" + PIPELINE + "\"", "\"ownedPartitions\" : [ 0, 1, 2 ]");
        assertThat(fromEnvironment.code()).as(fromEnvironment.toString()).isZero();
        assertThat(fromEnvironment.out()).contains(PIPELINE + " on node", "HIT RATE", PREFIX + "user_profiles", "100.0%");
        assertThat(wrongToken.code()).isEqualTo(3);
        assertThat(wrongToken.err()).contains("UNAUTHENTICATED").doesNotContain(TOKEN);
        assertThat(noToken.code()).isEqualTo(3);
        assertThat(unknown.code()).isEqualTo(4);
        assertThat(unknown.err()).contains("NOT_FOUND", "nope");
        assertThat(invalid.code()).isEqualTo(5);
        assertThat(invalid.err()).contains("INVALID_ARGUMENT", bad + ":2:1: ");
        assertThat(drain.code()).isEqualTo(7);
        assertThat(drain.err()).contains("standalone");
        assertThat(checkpoint.code()).as(checkpoint.toString()).isZero();
        assertThat(checkpoint.out()).contains(PIPELINE + "-0," + PIPELINE + "-1," + PIPELINE + "-2");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(changes.get(0).code()).as(changes.get(0).toString()).isZero();
        assertThat(changes.get(0).out()).contains("paused pipeline " + PIPELINE);
        assertThat(changes.get(1).code()).as(changes.get(1).toString()).isZero();
        assertThat(changes.get(1).out()).contains("resumed pipeline " + PIPELINE);
        assertThat(changes.get(2).code()).as(changes.get(2).toString()).isEqualTo(7);
        assertThat(changes.get(2).err()).contains("FAILED_PRECONDITION", "pipeline file");
    }

    private static CliRun cli(Map<String, String> environment, String... args)
    {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine commandLine = KaflowSql.commandLine();
        commandLine.setOut(new java.io.PrintWriter(out, true));
        commandLine.setErr(new java.io.PrintWriter(err, true));
        ((io.kaflowsql.node.cli.AdminCommand) commandLine.getSubcommands().get("admin").getCommand()).useEnvironment(environment);
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    private record CliRun(int code, String out, String err) {}
}
