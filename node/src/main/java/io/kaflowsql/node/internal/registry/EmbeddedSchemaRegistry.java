package io.kaflowsql.node.internal.registry;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * A schema registry inside this JVM that speaks the part of the Confluent Schema Registry REST API
 * that serializers and deployers use (https://docs.confluent.io/platform/current/schema-registry/develop/api.html),
 * for the demo and tests where no real registry can run. Avro schemas only.
 *
 * <p>State lives in the compacted topic {@code _schemas} (Confluent's record layout); {@link #start}
 * creates it when missing and reads it to its end before serving, so a registry started again on the
 * same Kafka sees every schema, id and level acknowledged before. This instance is the only writer:
 * two registries on one topic at the same time would hand out the same ids (not supported).
 *
 * <p>Requests run on a few daemon threads of the JDK's HTTP server. Thread-safe; {@link #close} is idempotent.
 */
public final class EmbeddedSchemaRegistry
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SchemaTopic topic;
    private boolean closed;

    private EmbeddedSchemaRegistry(HttpServer server, ExecutorService executor, SchemaTopic topic)
    {
        this.server = requireNonNull(server, "server is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.topic = requireNonNull(topic, "topic is null");
    }

    /**
     * Loads the registry from Kafka and starts serving.
     *
     * @param clientProperties extra Kafka client properties (security, ...), applied to admin, producer and consumer
     * @param address where to listen; port 0 picks a free port, see {@link #url()}
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, Map<String, String> clientProperties, InetSocketAddress address)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(clientProperties, "clientProperties is null");
        requireNonNull(address, "address is null");
        SchemaTopic topic = SchemaTopic.open(bootstrapServers, clientProperties);
        try {
            SchemaStore store = new SchemaStore(topic);
            for (RegistryRecord record : topic.readAll()) {
                recover(store, record);
            }
            HttpServer server = HttpServer.create(address, 0);
            ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new RegistryHttpHandler(new RegistryRouter(store)));
            server.start();
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(server, executor, topic);
            log.info("Schema registry (embedded, Confluent-compatible) listening on {} with {} schemas", registry.url(), store.schemaCount());
            return registry;
        }
        catch (IOException e) {
            topic.close();
            throw new UncheckedIOException("cannot listen for the schema registry on " + address + " (is the port in use?)", e);
        }
        catch (RuntimeException e) {
            topic.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>} (or the bound address when it is a specific non-loopback one): where clients reach the registry. */
    public URI url()
    {
        InetAddress bound = server.getAddress().getAddress();
        String host = bound.isAnyLocalAddress() || bound.isLoopbackAddress() ? "127.0.0.1" : bound.getHostAddress();
        try {
            return new URI("http", null, host, server.getAddress().getPort(), null, null, null);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException("cannot form the registry URL for " + server.getAddress(), e);
        }
    }

    /** Stops serving at once and closes the Kafka producer. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        topic.close();
    }

    private static void recover(SchemaStore store, RegistryRecord record)
    {
        try {
            store.recover(record);
        }
        catch (IllegalArgumentException e) {
            log.warn("Skipping a record of {} whose schema does not parse ({}): {}", SchemaTopic.NAME, e.getMessage(), record.key());
        }
    }

    private static ThreadFactory daemonThreads()
    {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
