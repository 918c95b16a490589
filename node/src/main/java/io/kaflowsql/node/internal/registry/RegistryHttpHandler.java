package io.kaflowsql.node.internal.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The HTTP side of the registry: reads method, path, query and body of an exchange, lets the
 * {@link RegistryRouter} answer, and writes the answer as {@code application/vnd.schemaregistry.v1+json}.
 * Request bodies are read as JSON whatever their content type ({@code application/vnd.schemaregistry.v1+json}
 * and {@code application/json} are what clients send; a plain {@code curl -d} sends a form type and
 * should still work in a demo).
 *
 * <p>No input makes it answer 500: the router's errors become their status and error code; only a
 * failure of the store itself (Kafka unreachable) or a bug answers 500 with error code 50001, logged.
 *
 * <p>Thread-safe.
 */
final class RegistryHttpHandler
        implements HttpHandler
{
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    private final RegistryRouter router;

    RegistryHttpHandler(RegistryRouter router)
    {
        this.router = requireNonNull(router, "router is null");
    }

    @Override
    public void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            RegistryResponse response;
            try {
                byte[] body = readBody(exchange);
                response = router.route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), query(exchange.getRequestURI().getRawQuery()), body);
            }
            catch (RegistryException e) {
                if (e.status() >= 500) {
                    log.warn("Schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                }
                response = RegistryResponse.error(e);
            }
            catch (RuntimeException e) {
                log.warn("Schema registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = RegistryResponse.error(new RegistryException(500, 50001, "Internal error: " + e));
            }
            write(exchange, response);
        }
    }

    private static byte[] readBody(HttpExchange exchange)
            throws IOException
    {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw RegistryException.unprocessable("The request body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    private static void write(HttpExchange exchange, RegistryResponse response)
            throws IOException
    {
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Query parameters; the last value of a repeated name wins. Undecodable ones are dropped. */
    private static Map<String, String> query(String rawQuery)
    {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException e) {
                // a malformed escape in a parameter we would not understand anyway
            }
        }
        return parameters;
    }
}
