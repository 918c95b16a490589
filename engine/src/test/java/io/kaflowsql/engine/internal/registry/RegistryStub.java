package io.kaflowsql.engine.internal.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A scripted schema registry on the loopback interface: records every request and answers it with
 * what the test's {@link Handler} says. Requests are served on a small pool so that a handler may
 * block (to provoke a client timeout) without stalling the next request.
 */
final class RegistryStub
        implements AutoCloseable
{
    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    /** One request as the stub saw it; {@code target} is the raw (still encoded) path plus query. */
    record Request(String method, String target, Optional<String> contentType, Optional<String> accept,
            Optional<String> authorization, Optional<String> host, String body) {}

    record Response(int status, String body) {}

    @FunctionalInterface
    interface Handler
    {
        Response answer(Request request, int index)
                throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Handler handler;

    private RegistryStub(HttpServer server, Handler handler)
    {
        this.server = server;
        this.handler = handler;
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    static RegistryStub http(Handler handler)
    {
        try {
            return new RegistryStub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), handler);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RegistryStub https(Handler handler, SSLContext sslContext)
    {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext));
            return new RegistryStub(server, handler);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request with {@code status} and {@code body}. */
    static RegistryStub answering(int status, String body)
    {
        return http((request, index) -> new Response(status, body));
    }

    void answer(Handler handler)
    {
        this.handler = requireNonNull(handler, "handler is null");
    }

    int port()
    {
        return server.getAddress().getPort();
    }

    String url()
    {
        return "http://127.0.0.1:" + port();
    }

    /** Settings pointing at this stub: no auth, default trust, a generous timeout. */
    SchemaRegistrySettings settings(int maxRetries)
    {
        return new SchemaRegistrySettings(URI.create(url()), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(20), maxRetries);
    }

    List<Request> requests()
    {
        return List.copyOf(requests);
    }

    Request onlyRequest()
    {
        List<Request> seen = requests();
        if (seen.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + seen);
        }
        return seen.get(0);
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            Request request = new Request(exchange.getRequestMethod(), target,
                    header(exchange, "Content-Type"), header(exchange, "Accept"), header(exchange, "Authorization"),
                    header(exchange, "Host"), body);
            int index;
            synchronized (requests) {
                index = requests.size();
                requests.add(request);
            }
            Response response;
            try {
                response = handler.answer(request, index);
            }
            catch (Exception e) {
                response = new Response(599, "stub handler failed: " + e);
            }
            byte[] bytes = response.body().getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Optional<String> header(HttpExchange exchange, String name)
    {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }
}
