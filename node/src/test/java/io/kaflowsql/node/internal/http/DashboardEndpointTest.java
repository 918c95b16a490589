package io.kaflowsql.node.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardEndpointTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Supplier<DashboardView>> source = new AtomicReference<>(DashboardEndpointTest::sample);
    private NodeHttpServer server;

    @AfterEach
    void stop()
    {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void servesTheSelfContainedPageAtTheRootOnly()
            throws Exception
    {
        start();

        HttpResponse<String> page = get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains(DashboardPage.CONTENT_TYPE);
        assertThat(page.body()).contains("<title>KaflowSQL dashboard</title>", "api/dashboard");
        assertThat(page.body()).doesNotContain("src=\"http", "href=\"http", "@import", "<link");
        assertThat(get("/index.html").statusCode()).isEqualTo(404);
        assertThat(get("/api/dashboardx").statusCode()).isEqualTo(404);
        assertThat(get("/health").body()).isEqualTo("ok");
    }

    @Test
    void answersTheFiguresAsJsonWithNullWhereAFigureDoesNotExistYet()
            throws Exception
    {
        start();

        HttpResponse<String> response = get(DashboardEndpoint.PATH);
        JsonNode json = new ObjectMapper().readTree(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(DashboardEndpoint.CONTENT_TYPE);
        assertThat(json.get("clusterName").asText()).isEqualTo("prod");
        assertThat(json.get("nodes")).hasSize(2);
        assertThat(json.at("/nodes/0/id").asText()).isEqualTo("node-a");
        assertThat(json.at("/nodes/0/state").asText()).isEqualTo("READY");
        assertThat(json.at("/nodes/1/reachable").asBoolean()).isFalse();
        assertThat(json.at("/assignment/generation").asLong()).isEqualTo(7);
        assertThat(json.at("/assignment/tasks/1/owner").asText()).isEqualTo("node-b");
        assertThat(json.at("/assignment/tasks/1/standbys/0").asText()).isEqualTo("node-a");
        assertThat(json.at("/pipelines/0/recordsOut").asLong()).isEqualTo(1_234_567);
        assertThat(json.at("/pipelines/0/endToEnd/p99Millis").asDouble()).isEqualTo(48.5);
        assertThat(json.at("/pipelines/0/processing/p99Millis").isNull()).isTrue();
        assertThat(json.at("/pipelines/0/joins/0/hitRate").asDouble()).isEqualTo(0.75);
        assertThat(json.at("/pipelines/0/joins/1/hitRate").isNull()).as("no lookup yet").isTrue();
    }

    @Test
    void answers503WithTheReasonWhenTheFiguresCannotBeBuilt()
            throws Exception
    {
        source.set(() -> {
            throw new IllegalStateException("coordinator closed");
        });
        start();

        HttpResponse<String> response = get(DashboardEndpoint.PATH);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(new ObjectMapper().readTree(response.body()).get("error").asText()).contains("coordinator closed");
    }

    private void start()
    {
        server = NodeHttpServer.start(0, () -> true, () -> "");
        DashboardEndpoint.register(server, () -> source.get().get(), System::nanoTime);
    }

    private HttpResponse<String> get(String path)
            throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Two nodes (the second not answering), two tasks (one with a standby) and one pipeline with a join not used yet. */
    static DashboardView sample()
    {
        List<DashboardView.Node> nodes = List.of(
                new DashboardView.Node("node-a", "READY", "1.0.0", "10.0.0.1:9090", true, true, 12, List.of("orders-0"), List.of("orders-1")),
                new DashboardView.Node("node-b", "BOOTSTRAPPING", "", "10.0.0.2:9090", false, false, 0, List.of("orders-1"), List.of()));
        DashboardView.Assignment assignment = new DashboardView.Assignment(7, "node-a", List.of("node-a", "node-b"), List.of(
                new DashboardView.Task("orders-0", "node-a", List.of()),
                new DashboardView.Task("orders-1", "node-b", List.of("node-a"))));
        DashboardView.Pipeline pipeline = new DashboardView.Pipeline("orders", "node-a", "RUNNING", "file", List.of(0), 2_000_000, 1_234_567, 150.5, 120.25,
                12, 3, 1, 4, 40, 36, new DashboardView.Latency(5.0, 20.0, 48.5), DashboardView.Latency.NONE, List.of(
                        new DashboardView.Join("customers", "dimension", 100, 75, 0.75),
                        new DashboardView.Join("payments", "event table", 0, 0, null)));
        return new DashboardView("prod", "node-a", true, "node-a", 1_700_000_000_000L, nodes, assignment, List.of(pipeline));
    }
}
