package io.kaflowsql.node.internal.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsEndpointTest
{
    private final HttpClient client = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private NodeHttpServer server;

    @BeforeEach
    void start()
    {
        server = NodeHttpServer.start(0, () -> true, () -> "");
        server.addExactHandler(MetricsEndpoint.PATH, new MetricsEndpoint(registry));
        Counter.builder("kaflowsql.records.out").tag("pipeline", "p").register(registry).increment(3);
    }

    @AfterEach
    void stop()
    {
        server.close();
        registry.close();
    }

    @Test
    void servesThePrometheusTextFormat()
            throws Exception
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics")).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE kaflowsql_records_out_total counter").contains("kaflowsql_records_out_total{pipeline=\"p\"} 3.0");
    }

    @Test
    void servesOpenMetricsWhenTheScraperAsksForIt()
            throws Exception
    {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").GET().build());

        assertThat(response.headers().firstValue("Content-Type")).contains(MetricsEndpoint.OPENMETRICS_CONTENT_TYPE);
        assertThat(response.body()).contains("kaflowsql_records_out_total{pipeline=\"p\"} 3.0").endsWith("# EOF\n");
    }

    @Test
    void answersOnlyItsExactPathAndOnlyGetAndHead()
            throws Exception
    {
        assertThat(send(HttpRequest.newBuilder(uri("/metricsx")).GET().build()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/metrics/x")).GET().build()).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(405);
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri("/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).contains(MetricsEndpoint.TEXT_CONTENT_TYPE);
    }

    private HttpResponse<String> send(HttpRequest request)
            throws Exception
    {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
