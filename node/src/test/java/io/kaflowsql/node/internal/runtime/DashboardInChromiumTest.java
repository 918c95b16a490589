package io.kaflowsql.node.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.http.HeadlessChromium;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard of a real node (a one-node cluster running the seed pipeline against the embedded broker, after a few
 * records went through): {@code /api/dashboard} directly, and the page at {@code /} loaded in headless Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardInChromiumTest
{
    private static final int PARTITIONS = 2;
    private static final int USERS = 4;
    private static final int CLICKS = 20;
    private static final String PREFIX = "dash_";
    private static final String PIPELINE = PREFIX + "personalization";
    private static final String NODE = "dash-node";

    private Path dir;
    private EmbeddedKafkaBroker broker;
    private KaflowNode node;

    @BeforeAll
    void startNodeAndFeedIt(@TempDir Path dir)
            throws Exception
    {
        this.dir = dir;
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        int clusterPort = FreePorts.pick();
        NodeConfig base = BrokerFixture.config(broker.bootstrapServers(), dir.resolve("state"));
        NodeConfig config = base.withCluster(base.cluster().asMember(NODE, "127.0.0.1", clusterPort, List.of("127.0.0.1:" + clusterPort), 0));
        node = KaflowNode.start(config, List.of(BrokerFixture.seedPipeline(PREFIX)), Clock.systemUTC());
        assertThat(node.awaitReady(120, TimeUnit.SECONDS)).as("node ready").isTrue();
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, PREFIX + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", now);
            for (int user = 0; user < USERS; user++) {
                BrokerFixture.send(producer, PREFIX + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", now);
            }
            BrokerFixture.send(producer, PREFIX + "purchase_history", "u0", "{\"user_id\":\"u0\",\"last_category\":\"books\"}", now);
            producer.flush();
            BrokerFixture.waitFor(() -> joinedRecordsRead() >= USERS + 2);
            for (int i = 0; i < CLICKS; i++) {
                String user = "u" + (i % USERS);
                BrokerFixture.send(producer, PREFIX + "clickstreams", user, BrokerFixture.click("e" + i, user, now + i), now + i);
            }
            producer.flush();
        }
        BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsOut() >= CLICKS);
    }

    @AfterAll
    void stop()
    {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void apiDashboardReportsTheNodeTheAssignmentAndThePipelineFigures()
            throws Exception
    {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/api/dashboard"))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.get("clustered").asBoolean()).isTrue();
        assertThat(json.get("answeredBy").asText()).isEqualTo(NODE);
        assertThat(json.get("leader").asText()).isEqualTo(NODE);
        assertThat(json.get("nodes")).hasSize(1);
        JsonNode self = json.at("/nodes/0");
        assertThat(self.get("id").asText()).isEqualTo(NODE);
        assertThat(self.get("state").asText()).isEqualTo("READY");
        assertThat(self.get("version").asText()).isEqualTo(KaflowNode.version());
        assertThat(self.get("address").asText()).isEqualTo("127.0.0.1:" + node.adminPort());
        assertThat(texts(self.get("tasks"))).containsExactly(PIPELINE + "-0", PIPELINE + "-1");
        assertThat(json.at("/assignment/generation").asLong()).isPositive();
        assertThat(json.at("/assignment/tasks")).hasSize(PARTITIONS).allSatisfy(task -> assertThat(task.get("owner").asText()).isEqualTo(NODE));
        JsonNode pipeline = json.at("/pipelines/0");
        assertThat(pipeline.get("name").asText()).isEqualTo(PIPELINE);
        assertThat(pipeline.get("state").asText()).isEqualTo("RUNNING");
        assertThat(pipeline.get("recordsOut").asLong()).isEqualTo(CLICKS);
        assertThat(pipeline.get("recordsIn").asLong()).isGreaterThanOrEqualTo(CLICKS + USERS + 2);
        assertThat(pipeline.get("outPerSecond").asDouble()).isNotNegative();
        assertThat(pipeline.get("heldNow").asLong()).isNotNegative();
        assertThat(pipeline.at("/endToEnd/p99Millis").asDouble()).isPositive();
        assertThat(pipeline.at("/processing/p50Millis").isNumber()).isTrue();
        assertThat(pipeline.get("joins")).extracting(join -> join.get("source").asText())
                .containsExactlyInAnyOrder(PREFIX + "user_profiles", PREFIX + "products", PREFIX + "purchase_history");
        for (JsonNode join : pipeline.get("joins")) {
            if (join.get("source").asText().equals(PREFIX + "user_profiles")) {
                assertThat(join.get("hitRate").asDouble()).isEqualTo(1.0);
            }
            if (join.get("source").asText().equals(PREFIX + "purchase_history")) {
                assertThat(join.get("hitRate").asDouble()).isEqualTo(1.0 / USERS);
            }
        }
    }

    @Test
    void pageInHeadlessChromiumShowsTheNodeItsTasksAndThePipelineRecords()
            throws Exception
    {
        HeadlessChromium chromium = HeadlessChromium.installed(dir);

        String dom = chromium.dumpDom(url("/"), Duration.ofSeconds(3));

        assertThat(HeadlessChromium.values(dom, "node-id")).containsExactly(NODE);
        assertThat(HeadlessChromium.cells(dom, "node-state")).containsExactly("READY");
        assertThat(HeadlessChromium.cells(dom, "task")).containsExactly(PIPELINE + "-0", PIPELINE + "-1");
        assertThat(HeadlessChromium.cells(dom, "task-owner")).containsExactly(NODE, NODE);
        assertThat(HeadlessChromium.cells(dom, "pipeline-name")).containsExactly(PIPELINE);
        assertThat(HeadlessChromium.cells(dom, "pipeline-state")).containsExactly("RUNNING");
        assertThat(HeadlessChromium.values(dom, "records-out")).containsExactly(Integer.toString(CLICKS));
        assertThat(HeadlessChromium.cells(dom, "latency").get(0)).endsWith(" ms");
        assertThat(HeadlessChromium.cells(dom, "hit-rate")).contains("100.0 %");
        assertThat(dom).containsPattern("updated \\d\\d:\\d\\d:\\d\\d").contains("<div id=\"banner\" class=\"banner\" hidden=\"\">");
    }

    /** Records read from every source but the driving one (index 0): the products, profiles and purchase sent first. */
    private long joinedRecordsRead()
    {
        var metrics = node.runtimes().get(0).metrics();
        long total = 0;
        for (int source = 1; source < metrics.sources().size(); source++) {
            total += metrics.recordsIn(source);
        }
        return total;
    }

    private String url(String path)
    {
        return "http://127.0.0.1:" + node.httpPort() + path;
    }

    private static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
