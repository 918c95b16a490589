package io.kaflowsql.node.internal.broker;

import io.kaflowsql.coordinator.net.FreePorts;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * A real Apache Kafka broker running inside this JVM: one node in KRaft combined mode (broker and
 * controller), listening on 127.0.0.1 only unless started with another client host (a test that runs
 * nodes in their own network namespaces binds it to an address those reach). Used by
 * {@code kaflowsql demo}, by the {@code broker} subcommand and by integration tests.
 *
 * <p>The log directory is {@code dataDir/kafka-logs}. It is formatted (Kafka's {@code StorageTool})
 * only when it holds no {@code meta.properties} yet, so starting again on the same directory keeps
 * every topic and record. All internal topics (consumer offsets, transaction state, share
 * coordinator state) use replication factor 1 and min ISR 1, so transactions and exactly-once work
 * on this single node.
 *
 * <p>{@link KafkaRaftServer} and {@link StorageTool} are Kafka internals, not public API; they are
 * confined to this class so an upgrade of Kafka touches one file.
 *
 * <p>Thread-safe: {@link #createTopics} may be called from any thread; {@link #close} is idempotent.
 */
public final class EmbeddedKafkaBroker
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final long READY_TIMEOUT_SECONDS = 60;
    private static final String LOOPBACK = "127.0.0.1";

    private final Path logDir;
    private final String host;
    private final int port;
    private final KafkaRaftServer server;
    private final Admin admin;
    private boolean closed;

    private EmbeddedKafkaBroker(Path logDir, String host, int port, KafkaRaftServer server, Admin admin)
    {
        this.logDir = requireNonNull(logDir, "logDir is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.server = requireNonNull(server, "server is null");
        this.admin = requireNonNull(admin, "admin is null");
    }

    /**
     * Starts a broker and returns once it accepts clients.
     *
     * @param dataDir directory owned by this broker; created if missing, reused if already formatted
     * @param port client port on 127.0.0.1, or 0 for a free port
     * @param defaultPartitions partition count of auto-created topics
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int defaultPartitions)
    {
        return start(dataDir, LOOPBACK, port, defaultPartitions);
    }

    /**
     * Starts a broker whose client listener binds and advertises {@code host} (the controller listener stays on
     * 127.0.0.1) and returns once it accepts clients.
     *
     * @param dataDir directory owned by this broker; created if missing, reused if already formatted
     * @param host a local address of this machine that clients reach the broker at, e.g. {@code 127.0.0.1}
     * @param port client port, or 0 for a port that is free on 127.0.0.1
     * @param defaultPartitions partition count of auto-created topics
     */
    public static EmbeddedKafkaBroker start(Path dataDir, String host, int port, int defaultPartitions)
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1: " + defaultPartitions);
        }
        Path logDir = dataDir.toAbsolutePath().resolve("kafka-logs");
        int brokerPort = port == 0 ? FreePorts.pick() : port;
        int controllerPort = FreePorts.pickOtherThan(brokerPort);
        Properties properties = BrokerProperties.of(NODE_ID, logDir, host, brokerPort, controllerPort, defaultPartitions);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dataDir.toAbsolutePath().resolve("server.properties"), properties);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log directory " + logDir, e);
        }

        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        server.startup();
        Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, host + ":" + brokerPort,
                AdminClientConfig.CLIENT_ID_CONFIG, "kaflowsql-embedded-broker-admin"));
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(logDir, host, brokerPort, server, admin);
        try {
            broker.awaitReady();
        }
        catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        log.info("Embedded Kafka broker started on {} (log dir {})", broker.bootstrapServers(), logDir);
        return broker;
    }

    /** {@code <host>:<port>} ({@code 127.0.0.1:<port>} unless started with another host), for {@code bootstrap.servers}. */
    public String bootstrapServers()
    {
        return host + ":" + port;
    }

    public int port()
    {
        return port;
    }

    public Path logDir()
    {
        return logDir;
    }

    /**
     * Creates each topic that does not exist yet, with replication factor 1. Existing topics are left
     * as they are (their partition count is not changed), so calling this again is harmless.
     *
     * @param partitions topic name to partition count
     * @param configs topic-level configs applied to every newly created topic (e.g. {@code cleanup.policy})
     */
    public void createTopics(Map<String, Integer> partitions, Map<String, String> configs)
    {
        requireNonNull(partitions, "partitions is null");
        requireNonNull(configs, "configs is null");
        List<NewTopic> topics = new ArrayList<>();
        partitions.forEach((name, count) -> topics.add(new NewTopic(name, count, (short) 1).configs(Map.copyOf(configs))));
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
            catch (TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + name, e);
            }
        });
    }

    /** Stops the broker and waits until its files are closed. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        admin.close();
        server.shutdown();
        server.awaitShutdown();
        log.info("Kafka broker at {} stopped", bootstrapServers());
    }

    /** {@code startup()} returns once the broker is unfenced; a cluster round trip proves clients can connect. */
    private void awaitReady()
    {
        try {
            admin.describeCluster().nodes().get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " did not become ready", e);
        }
    }

    private static void format(Path propertiesFile, Properties properties)
            throws IOException
    {
        try (OutputStream out = Files.newOutputStream(propertiesFile)) {
            properties.store(out, "written by kaflowsql for the embedded broker");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        int exitCode;
        try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString()}, printer);
        }
        String text = output.toString(StandardCharsets.UTF_8).strip();
        if (exitCode != 0) {
            throw new IllegalStateException("formatting Kafka storage failed (exit " + exitCode + "): " + text);
        }
        log.debug("Formatted Kafka storage with cluster id {}: {}", clusterId, text);
    }
}
