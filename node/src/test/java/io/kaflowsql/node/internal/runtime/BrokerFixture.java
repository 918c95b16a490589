package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.node.config.NodeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Clients and config for tests that run the real runtime against the embedded broker. */
final class BrokerFixture
{
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static final Path SEED_PIPELINE = Path.of("../pipelines/personalization/pipeline.yaml");

    private BrokerFixture() {}

    static CompiledPipeline seedPipeline()
    {
        return new PipelineLoader().load(SEED_PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON));
    }

    static NodeConfig config(String bootstrapServers, Path stateDir)
    {
        NodeConfig defaults = NodeConfig.defaults();
        return new NodeConfig(defaults.cluster().withAdminPort(0), new NodeConfig.KafkaSettings(bootstrapServers, "it", Map.of()), defaults.schemaRegistry(),
                new NodeConfig.StateSettings(stateDir), defaults.processing(), defaults.checkpoint(), new NodeConfig.HttpSettings(0), defaults.pipelines(), defaults.logging());
    }

    static KafkaProducer<String, String> producer(String bootstrapServers)
    {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value, long timestamp)
    {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key, value));
    }

    /** Reads {@code topic} (read_committed) from the start until {@code done} holds for what was read, or fails after a minute. */
    static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic, Predicate<List<ConsumerRecord<String, String>>> done)
    {
        return readUntil(bootstrapServers, topic, done, () -> "");
    }

    static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic, Predicate<List<ConsumerRecord<String, String>>> done,
            java.util.function.Supplier<String> diagnostics)
    {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(records)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic + "; got " + records.size() + " records. " + diagnostics.get());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
    /** The seed pipeline with its topics prefixed, so each test has its own topics on the shared broker. */
    static CompiledPipeline seedPipeline(String prefix)
            throws IOException
    {
        return new io.kaflowsql.engine.api.PipelineLoader().load(seedYaml(prefix), prefix + "pipeline.yaml",
                definition -> definition.withOutputFormat(io.kaflowsql.engine.api.OutputFormat.JSON));
    }

    /** The YAML of {@link #seedPipeline(String)}, JSON output included (what a deploy through the admin API sends). */
    static String seedYaml(String prefix)
            throws IOException
    {
        return Files.readString(BrokerFixture.SEED_PIPELINE)
                .replace("name: personalization_engine", "name: " + prefix + "personalization")
                .replace("FROM clickstreams", "FROM " + prefix + "clickstreams")
                .replace("JOIN user_profiles", "JOIN " + prefix + "user_profiles")
                .replace("JOIN products", "JOIN " + prefix + "products")
                .replace("JOIN purchase_history", "JOIN " + prefix + "purchase_history")
                .replace("topic: personalized_events", "topic: " + prefix + "personalized_events")
                .replace("      clickstreams: 1h", "      " + prefix + "clickstreams: 1h")
                .replace("      purchase_history: 24h", "      " + prefix + "purchase_history: 24h")
                .replace("    - user_profiles", "    - " + prefix + "user_profiles")
                .replace("    - products", "    - " + prefix + "products")
                .replace("  format: avro", "  format: json");
    }

    /** Everything {@code topic} holds (read_committed) after reading it for {@code duration}: for checking nothing more comes. */
    static List<ConsumerRecord<String, String>> readFor(String bootstrapServers, String topic, Duration duration)
    {
        long until = System.nanoTime() + duration.toNanos();
        return readUntil(bootstrapServers, topic, records -> System.nanoTime() > until);
    }

    static void createSeedTopics(io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker broker, String prefix, int partitions)
    {
        Map<String, Integer> topics = new java.util.HashMap<>();
        for (String topic : List.of("clickstreams", "user_profiles", "products", "purchase_history")) {
            topics.put(prefix + topic, partitions);
        }
        broker.createTopics(topics, Map.of());
    }

    /** Polls {@code condition} every 50 ms; fails the test if it does not hold within a minute. */
    static void waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            org.assertj.core.api.Assertions.assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The {@code event_id} of each JSON result, in the order read. */
    static List<String> eventIds(List<ConsumerRecord<String, String>> records)
            throws IOException
    {
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            ids.add(JSON.readTree(record.value()).get("event_id").asText());
        }
        return ids;
    }

    /** A seed click on product p1 that passes the WHERE clause. */
    static String click(String eventId, String user, long time)
    {
        return "{\"event_id\":\"" + eventId + "\",\"user_id\":\"" + user + "\",\"product_id\":\"p1\",\"event_type\":\"page_view\",\"timestamp\":\""
                + java.time.Instant.ofEpochMilli(time) + "\"}";
    }
}
