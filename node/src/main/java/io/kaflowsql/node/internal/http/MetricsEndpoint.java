package io.kaflowsql.node.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /metrics}: the node's meters in the Prometheus text format (version 0.0.4), or in OpenMetrics
 * 1.0 when the scraper's {@code Accept} header asks for {@code application/openmetrics-text}. Register it
 * with {@link NodeHttpServer#addExactHandler} (exact path, GET and HEAD only).
 *
 * <p>Thread-safe: a scrape only reads meters (gauges read values sampled by the pipelines' threads).
 */
public final class MetricsEndpoint
        implements HttpHandler
{
    public static final String PATH = "/metrics";
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry)
    {
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public void handle(HttpExchange exchange)
            throws IOException
    {
        String contentType = contentType(exchange.getRequestHeaders().getFirst("Accept"));
        byte[] body = "HEAD".equals(exchange.getRequestMethod()) ? new byte[0] : registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        NodeHttpServer.respond(exchange, 200, contentType, body);
    }

    static String contentType(String accept)
    {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
    }
}
