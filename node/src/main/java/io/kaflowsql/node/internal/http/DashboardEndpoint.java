package io.kaflowsql.node.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /api/dashboard}: the figures of the live dashboard ({@link DashboardView}) as one JSON document; 503 with
 * {@code {"error": "..."}} when they cannot be built. {@link #register} also serves the page itself at {@code /}
 * ({@link DashboardPage}), which polls this endpoint.
 *
 * <p>Thread-safe.
 */
public final class DashboardEndpoint
        implements HttpHandler
{
    public static final String PATH = "/api/dashboard";
    static final String CONTENT_TYPE = "application/json; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(DashboardEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DashboardSnapshots snapshots;

    DashboardEndpoint(DashboardSnapshots snapshots)
    {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    /**
     * Serves the dashboard on {@code http}: the page at {@code /} and its figures at {@value #PATH}.
     *
     * @param views builds the figures (may block briefly: it asks the cluster's peers); called at most once a second
     * @param nanos monotonic nanoseconds, for the age of the last figures
     */
    public static void register(NodeHttpServer http, Supplier<DashboardView> views, LongSupplier nanos)
    {
        requireNonNull(http, "http is null");
        http.addExactHandler(PATH, new DashboardEndpoint(new DashboardSnapshots(views, nanos, DashboardSnapshots.DEFAULT_MAX_AGE)));
        http.addExactHandler(DashboardPage.PATH, DashboardPage.load());
    }

    @Override
    public void handle(HttpExchange exchange)
            throws IOException
    {
        int status;
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(snapshots.get());
            status = 200;
        }
        catch (RuntimeException e) {
            log.warn("Cannot build the dashboard's figures", e);
            body = JSON.writeValueAsBytes(Map.of("error", "the node cannot build its dashboard figures: " + e + " (see the node's log)"));
            status = 503;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        NodeHttpServer.respond(exchange, status, CONTENT_TYPE, body);
    }
}
