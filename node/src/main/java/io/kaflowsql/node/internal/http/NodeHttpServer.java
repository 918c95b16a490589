package io.kaflowsql.node.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The node's small HTTP server (the JDK's {@code com.sun.net.httpserver}, no framework):
 * <ul>
 *   <li>{@code GET /health} — 200 {@code ok} while the process runs (liveness);</li>
 *   <li>{@code GET /ready} — 200 {@code ready} when the {@code ready} supplier says so, otherwise
 *       503 with the text of {@code readyDetail} (readiness: e.g. which dimension tables are still loading);</li>
 *   <li>anything added with {@link #addExactHandler} ({@code /metrics}) or {@link #addHandler} (a dashboard, ...).</li>
 * </ul>
 * Both built-in endpoints answer only their exact path (the JDK matches contexts by prefix) and only
 * GET and HEAD. Requests run on two daemon threads, so a slow scrape cannot starve the node, and the
 * suppliers are called from those threads: they must be thread-safe and must not block.
 *
 * <p>Thread-safe.
 */
public final class NodeHttpServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(NodeHttpServer.class);
    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;

    private NodeHttpServer(HttpServer server, ExecutorService executor)
    {
        this.server = requireNonNull(server, "server is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Starts on all interfaces. {@code port} 0 picks a free port; see {@link #port()}. */
    public static NodeHttpServer start(int port, BooleanSupplier ready, Supplier<String> readyDetail)
    {
        return start(new InetSocketAddress(port), ready, readyDetail);
    }

    public static NodeHttpServer start(InetSocketAddress address, BooleanSupplier ready, Supplier<String> readyDetail)
    {
        requireNonNull(address, "address is null");
        requireNonNull(ready, "ready is null");
        requireNonNull(readyDetail, "readyDetail is null");
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot listen for HTTP on " + address + " (is the port in use? set http.port or --http-port)", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        NodeHttpServer nodeServer = new NodeHttpServer(server, executor);
        nodeServer.addHandler("/health", exactPath("/health", exchange -> respond(exchange, 200, "ok")));
        nodeServer.addHandler("/ready", exactPath("/ready", exchange -> {
            boolean isReady;
            String detail;
            try {
                isReady = ready.getAsBoolean();
                detail = isReady ? "ready" : readyDetail.get();
            }
            catch (RuntimeException e) {
                log.warn("Readiness check failed", e);
                isReady = false;
                detail = "readiness check failed: " + e;
            }
            respond(exchange, isReady ? 200 : 503, detail);
        }));
        server.start();
        log.info("HTTP server listening on port {}", nodeServer.port());
        return nodeServer;
    }

    /** Serves exactly {@code path} (404 below it), GET and HEAD only (405 otherwise), with {@code handler}. */
    public void addExactHandler(String path, HttpHandler handler)
    {
        requireNonNull(handler, "handler is null");
        addHandler(path, exactPath(path, handler));
    }

    /** Serves {@code path} and everything below it (JDK prefix matching) with {@code handler}. */
    public void addHandler(String path, HttpHandler handler)
    {
        requireNonNull(path, "path is null");
        requireNonNull(handler, "handler is null");
        server.createContext(path, handler);
    }

    /** The bound port (the real one when started with port 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /** Stops at once (the JDK 17 server would otherwise wait out the whole grace period) and stops the threads. */
    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Writes a plain-text response. Also for handlers added by others: HEAD gets headers only,
     * and the exchange is always closed.
     */
    public static void respond(HttpExchange exchange, int status, String body)
            throws IOException
    {
        respond(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Like {@link #respond(HttpExchange, int, String)}, with a content type of the caller's. */
    public static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        try (exchange) {
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static HttpHandler exactPath(String path, HttpHandler handler)
    {
        return exchange -> {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, 404, "not found");
            }
            else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed");
            }
            else {
                handler.handle(exchange);
            }
        };
    }

    private static ThreadFactory daemonThreads()
    {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "http-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
