package io.kaflowsql.node.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /}: the live dashboard, one self-contained HTML page (inline CSS and JavaScript, nothing fetched from
 * elsewhere) read from the classpath resource {@value #RESOURCE}. The page polls {@link DashboardEndpoint#PATH} every
 * two seconds and renders its tables in the browser.
 *
 * <p>Thread-safe: the page is read once, at start.
 */
final class DashboardPage
        implements HttpHandler
{
    static final String PATH = "/";
    static final String RESOURCE = "dashboard.html";
    static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private final byte[] html;

    private DashboardPage(byte[] html)
    {
        this.html = requireNonNull(html, "html is null");
    }

    static DashboardPage load()
    {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + RESOURCE + " is missing from the node's jar (next to " + DashboardPage.class.getName()
                        + "): rebuild the node");
            }
            return new DashboardPage(in.readAllBytes());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard page " + RESOURCE, e);
        }
    }

    @Override
    public void handle(HttpExchange exchange)
            throws IOException
    {
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        NodeHttpServer.respond(exchange, 200, CONTENT_TYPE, html);
    }
}
