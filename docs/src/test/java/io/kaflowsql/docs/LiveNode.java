package io.kaflowsql.docs;

import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.node.internal.registry.EmbeddedSchemaRegistry;
import io.kaflowsql.node.internal.runtime.KaflowNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real node for the examples that talk to one: an embedded Kafka broker and schema registry, and one node of a
 * one-member cluster (node id {@code node-1}, so cluster metrics, {@code /cluster} and the cluster admin calls exist)
 * running the seed pipeline verbatim (Avro output through the registry), with an admin token. A few profiles,
 * products, purchase histories and clicks go through it before the examples run, so metrics and the dashboard have
 * figures. Started once per test JVM, closed at its end.
 */
final class LiveNode
        implements AutoCloseable
{
    static final String TOKEN = "docs-admin-token";
    static final String NODE_ID = "node-1";
    private static final String PIPELINE = "personalization_engine";
    private static final int PARTITIONS = 2;
    private static final int USERS = 4;
    private static final int CLICKS = 12;

    private final Path dir;
    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final KaflowNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    private LiveNode(Path dir, EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry, KaflowNode node)
    {
        this.dir = dir;
        this.broker = broker;
        this.registry = registry;
        this.node = node;
    }

    static LiveNode start()
            throws Exception
    {
        Path dir = Files.createTempDirectory("kaflowsql-docs-node");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS);
        EmbeddedSchemaRegistry registry = null;
        KaflowNode node = null;
        try {
            broker.createTopics(Map.of("clickstreams", PARTITIONS, "user_profiles", PARTITIONS, "products", PARTITIONS, "purchase_history", PARTITIONS),
                    Map.of());
            registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), Map.of(), new InetSocketAddress("127.0.0.1", 0));
            int member = FreePorts.pick();
            String config = """
                    cluster:
                      name: docs
                      node-id: %s
                      host: 127.0.0.1
                      port: %d
                      members: 127.0.0.1:%d
                    kafka:
                      bootstrap-servers: %s
                    schema-registry:
                      url: %s
                    state:
                      dir: %s
                    http:
                      port: 0
                    admin:
                      port: 0
                      token: %s
                    """.formatted(NODE_ID, member, member, broker.bootstrapServers(), registry.url(), dir.resolve("state"), TOKEN);
            NodeConfig nodeConfig = ConfigBlocks.load(config, Files.createDirectories(dir.resolve("config")));
            node = KaflowNode.start(nodeConfig, List.of(new PipelineLoader().load(Repository.file(PipelineBlocks.SEED))), Clock.systemUTC());
            if (!node.awaitReady(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the docs node did not get ready in 120 s");
            }
            LiveNode live = new LiveNode(dir, broker, registry, node);
            live.sendTraffic();
            return live;
        }
        catch (Exception | Error e) {
            if (node != null) {
                node.close();
            }
            if (registry != null) {
                registry.close();
            }
            broker.close();
            throw e;
        }
    }

    int httpPort()
    {
        return node.httpPort();
    }

    int adminPort()
    {
        return node.adminPort();
    }

    int registryPort()
    {
        return registry.url().getPort();
    }

    /** GET of a path on the node's HTTP port (or another local port), the body; fails on a status other than 200. */
    String get(int port, String pathAndQuery)
    {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + pathAndQuery + " on port " + port + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String metrics()
    {
        return get(httpPort(), "/metrics");
    }

    private void sendTraffic()
            throws InterruptedException
    {
        long now = System.currentTimeMillis();
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("products", null, now, "prod_456", """
                    {"product_id":"prod_456","name":"Laptop Pro 15","category":"electronics","subcategory":"laptops","brand":"TechCorp",\
                    "price":1299.99,"rating":4.5,"tags":["tech","work","premium"],"in_stock":true}"""));
            for (int user = 0; user < USERS; user++) {
                String id = "user_" + user;
                producer.send(new ProducerRecord<>("user_profiles", null, now, id, """
                        {"user_id":"%s","subscription_tier":"premium","age_group":"25-34","location":"US-CA",\
                        "preferences":["electronics","books"],"total_orders":15,"lifetime_value":2450.0}""".formatted(id)));
                producer.send(new ProducerRecord<>("purchase_history", null, now, id, """
                        {"user_id":"%s","last_category":"electronics","avg_order_value":245.5,"purchase_frequency":"monthly"}""".formatted(id)));
            }
            producer.flush();
            waitFor(() -> sample("kaflowsql_dimension_rows{pipeline=\"" + PIPELINE + "\",source=\"user_profiles\"}") >= USERS);
            for (int i = 0; i < CLICKS; i++) {
                String user = "user_" + (i % USERS);
                producer.send(new ProducerRecord<>("clickstreams", null, now + i, user, """
                        {"event_id":"evt_%d","user_id":"%s","session_id":"sess_1","event_type":"page_view","page_url":"/product/prod_456",\
                        "product_id":"prod_456","timestamp":"2025-07-05T14:30:00Z","device":"desktop","location":"US-CA"}""".formatted(i, user)));
            }
            producer.flush();
        }
        waitFor(() -> sample("kaflowsql_records_out_total{pipeline=\"" + PIPELINE + "\"}") >= CLICKS);
    }

    /** The value of one series of {@code /metrics}, 0 while it is missing or NaN. */
    private double sample(String series)
    {
        return metrics().lines().filter(line -> line.startsWith(series + " ")).map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .filter(value -> !value.isNaN()).findFirst().orElse(0.0);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the docs node did not process its traffic within 60 s");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            node.close();
            registry.close();
            broker.close();
        }
        finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
