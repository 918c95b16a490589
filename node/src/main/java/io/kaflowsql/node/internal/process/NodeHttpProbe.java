package io.kaflowsql.node.internal.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads a node's HTTP endpoints from outside the node: {@code /ready}, {@code /cluster} (its view of the
 * cluster as JSON) and the {@code kaflowsql_records_out_total} series of {@code /metrics}. Every call returns
 * empty/false instead of throwing while the node is down or starting.
 *
 * <p>Thread-safe.
 */
public final class NodeHttpProbe
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final URI base;

    public NodeHttpProbe(String host, int port)
    {
        this.base = URI.create("http://" + host + ":" + port);
    }

    public boolean ready()
    {
        return get("/ready").map(response -> response.statusCode() == 200).orElse(false);
    }

    public Optional<JsonNode> cluster()
    {
        return get("/cluster").filter(response -> response.statusCode() == 200).flatMap(response -> {
            try {
                return Optional.of(JSON.readTree(response.body()));
            }
            catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /** Sum of {@code kaflowsql_records_out_total} over the node's pipelines. */
    public Optional<Double> recordsOut()
    {
        return get("/metrics").filter(response -> response.statusCode() == 200).map(response -> {
            double sum = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith("kaflowsql_records_out_total")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        });
    }

    private Optional<HttpResponse<String>> get(String path)
    {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(2)).GET().build();
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        }
        catch (IOException e) {
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
