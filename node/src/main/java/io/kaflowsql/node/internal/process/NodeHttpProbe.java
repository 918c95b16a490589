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
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * Reads a node's HTTP endpoints from outside the node: {@code /ready}, {@code /cluster} (its view of the
 * cluster as JSON) and the {@code kaflowsql_records_out_total} series of {@code /metrics}. Every call returns
 * empty/false instead of throwing while the node is down, starting, or too slow to answer within the timeout.
 *
 * <p>The default timeout is generous ({@link #DEFAULT_TIMEOUT}): several node JVMs, a broker and the traffic
 * generator on one 2-core machine answer a scrape in seconds, not milliseconds, and a timed-out read would
 * look like a node with no tasks. Requests use HTTP/1.1 (the node's JDK server speaks nothing else; the
 * client's default HTTP/2 would add an upgrade attempt to every request).
 *
 * <p>Thread-safe.
 */
public final class NodeHttpProbe
{
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final String RECORDS_OUT = "kaflowsql_records_out_total";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;
    private final Duration timeout;

    public NodeHttpProbe(String host, int port)
    {
        this(host, port, DEFAULT_TIMEOUT);
    }

    public NodeHttpProbe(String host, int port, Duration timeout)
    {
        requireNonNull(host, "host is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.base = URI.create("http://" + host + ":" + port);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public boolean ready()
    {
        return get("/ready").map(response -> response.statusCode() == 200).orElse(false);
    }

    /** The text of {@code /ready} (why the node is not ready, e.g. a pipeline's state), whatever its status. */
    public Optional<String> readyDetail()
    {
        return get("/ready").map(HttpResponse::body);
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

    /** Sum of {@code kaflowsql_records_out_total} over the node's pipelines; empty when {@code /metrics} cannot be read. */
    public OptionalDouble recordsOut()
    {
        return get("/metrics").filter(response -> response.statusCode() == 200)
                .map(response -> OptionalDouble.of(sum(response.body(), RECORDS_OUT)))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Sum of the samples of {@code name} in a Prometheus text scrape: lines {@code name value} or
     * {@code name{labels} value}, not {@code # HELP}/{@code # TYPE} lines nor series whose name merely starts
     * with {@code name}. 0 when the scrape has no such sample (no pipeline registered the meter).
     */
    static double sum(String scrape, String name)
    {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(name) || line.length() == name.length()) {
                continue;
            }
            char next = line.charAt(name.length());
            if (next != '{' && next != ' ') {
                continue;
            }
            try {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
            catch (NumberFormatException e) {
                // not a sample line: skip it
            }
        }
        return sum;
    }

    private Optional<HttpResponse<String>> get(String path)
    {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build();
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
