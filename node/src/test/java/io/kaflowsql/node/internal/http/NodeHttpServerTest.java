package io.kaflowsql.node.internal.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class NodeHttpServerTest
{
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void healthAnswersOk()
            throws Exception
    {
        try (NodeHttpServer server = NodeHttpServer.start(0, () -> false, () -> "starting")) {
            assertThat(server.port()).isPositive();
            HttpResponse<String> response = get(server, "/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
    }

    @Test
    void readyFollowsSupplierAndExplainsWhyNotReady()
            throws Exception
    {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (NodeHttpServer server = NodeHttpServer.start(0, ready::get, () -> "dimension table customers loading")) {
            HttpResponse<String> notReady = get(server, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("dimension table customers loading");

            ready.set(true);
            HttpResponse<String> nowReady = get(server, "/ready");
            assertThat(nowReady.statusCode()).isEqualTo(200);
            assertThat(nowReady.body()).isEqualTo("ready");
        }
    }

    @Test
    void failingReadinessCheckIsNotReady()
            throws Exception
    {
        try (NodeHttpServer server = NodeHttpServer.start(0, () -> {
            throw new IllegalStateException("broken");
        }, () -> "unused")) {
            HttpResponse<String> response = get(server, "/ready");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("broken");
        }
    }

    @Test
    void servesAddedHandlers()
            throws Exception
    {
        try (NodeHttpServer server = NodeHttpServer.start(0, () -> true, () -> "")) {
            server.addHandler("/metrics", exchange -> NodeHttpServer.respond(exchange, 200, "kfs_records_total 3\n"));
            HttpResponse<String> response = get(server, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("kfs_records_total 3\n");
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        }
    }

    @Test
    void builtInEndpointsMatchExactPathAndGetOnly()
            throws Exception
    {
        try (NodeHttpServer server = NodeHttpServer.start(0, () -> true, () -> "")) {
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(404);
            assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
            HttpResponse<String> post = client.send(
                    HttpRequest.newBuilder(uri(server, "/ready")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    private HttpResponse<String> get(NodeHttpServer server, String path)
            throws IOException, InterruptedException
    {
        return client.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(NodeHttpServer server, String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
