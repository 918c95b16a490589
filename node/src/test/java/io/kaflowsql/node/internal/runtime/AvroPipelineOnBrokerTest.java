package io.kaflowsql.node.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.node.internal.registry.EmbeddedSchemaRegistry;
import io.kaflowsql.pipelines.personalization.AvroValueEncoding;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed pipeline with {@code format: avro} on a real broker and the embedded schema registry over
 * HTTP, fed mixed input (clickstreams and user profiles in Avro, products and purchase history in JSON).
 * The output is read back as a generic consumer would: plain bytes, the writer schema fetched by id with
 * a raw HTTP call, decoded by the standard Avro library — and it must hold exactly the events the test
 * driver computes from the same data as JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvroPipelineOnBrokerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    private static final String OUTPUT = "personalized_events";

    private static URI registryUrl;

    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;

    @BeforeAll
    void start(@TempDir Path brokerDir)
    {
        broker = EmbeddedKafkaBroker.start(brokerDir, 0, PARTITIONS);
        registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), Map.of(), new InetSocketAddress("127.0.0.1", 0));
        registryUrl = registry.url();
    }

    @AfterAll
    void stop()
    {
        registry.close();
        broker.close();
    }

    @Test
    void seedPipelineWritesAvroThatAGenericConsumerReadsAndThatMatchesTheJsonResults(@TempDir Path stateDir, @TempDir Path driverDir)
            throws Exception
    {
        BrokerFixture.createSeedTopics(broker, "", PARTITIONS);
        CompiledPipeline avroPipeline = new PipelineLoader().load(BrokerFixture.SEED_PIPELINE);
        assertThat(avroPipeline.definition().output().format()).isEqualTo(OutputFormat.AVRO);
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(150).withProducts(80));
        List<GeneratedRecord> tables = new ArrayList<>();
        tables.addAll(dataset.userProfiles());
        tables.addAll(dataset.products());
        tables.addAll(dataset.purchaseHistory());
        List<GeneratedRecord> clicks = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            clicks.add(dataset.nextClick(GeneratorSettings.DEFAULT_START_EPOCH_MILLIS + i * 10L));
        }
        Map<String, JsonNode> expected = expectedFromTheTestDriver(tables, clicks, driverDir);

        try (SchemaRegistryClient client = SchemaRegistryClient.connect(SchemaRegistrySettings.of(registry.url().toString()));
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            AvroValueEncoding encoding = AvroValueEncoding.register(client, Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES));
            tables.forEach(record -> send(producer, encoding, record));
            producer.flush();
            NodeConfig config = withRegistry(BrokerFixture.config(broker.bootstrapServers(), stateDir));
            try (KaflowNode node = KaflowNode.start(config, List.of(avroPipeline), Clock.systemUTC())) {
                assertThat(node.awaitReady(120, TimeUnit.SECONDS)).as("node ready: %s", node.runtimes().get(0).state()).isTrue();
                BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsIn(3) >= dataset.purchaseHistoryCount());
                clicks.forEach(record -> send(producer, encoding, record));
                producer.flush();

                Map<String, GenericRecord> actual = readAvroOutput(expected.size());

                assertThat(actual.keySet()).isEqualTo(expected.keySet());
                actual.forEach((eventId, record) -> assertMatches(record, expected.get(eventId)));
                assertThat(node.runtimes().get(0).metrics().rejectedTotal()).isZero();
            }
        }
        JsonNode registered = JSON.readTree(get("/subjects/" + OUTPUT + "-value/versions/latest"));
        Schema outputSchema = new Schema.Parser().parse(registered.get("schema").asText());
        Schema timestamp = outputSchema.getField("timestamp").schema().getTypes().get(1);
        assertThat(timestamp.getLogicalType()).as("timestamp passed through from the Avro clickstream").isInstanceOf(LogicalTypes.TimestampMillis.class);
        assertThat(outputSchema.getField("user_total_orders").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.LONG);
        assertThat(outputSchema.getField("category_affinity").schema().getType()).isIn(Schema.Type.DOUBLE, Schema.Type.UNION);
    }

    private static Map<String, JsonNode> expectedFromTheTestDriver(List<GeneratedRecord> tables, List<GeneratedRecord> clicks, Path driverDir)
            throws IOException
    {
        Map<String, JsonNode> expected = new HashMap<>();
        CompiledPipeline jsonPipeline = BrokerFixture.seedPipeline();
        try (PipelineTestDriver driver = new PipelineTestDriver(jsonPipeline, driverDir)) {
            tables.forEach(record -> driver.pipe(record.topic(), record.key(), record.json(), record.timestampMillis()));
            clicks.forEach(record -> driver.pipe(record.topic(), record.key(), record.json(), record.timestampMillis()));
            for (OutputRecord output : driver.readOutputs()) {
                JsonNode event = JSON.readTree(output.value());
                expected.put(event.get("event_id").asText(), event);
            }
        }
        assertThat(expected).hasSizeGreaterThan(400);
        return expected;
    }

    private NodeConfig withRegistry(NodeConfig config)
    {
        return new NodeConfig(config.cluster(), config.kafka(), new NodeConfig.SchemaRegistrySettings(Optional.of(registry.url().toString())),
                config.state(), config.processing(), config.checkpoint(), config.http(), config.pipelines(), config.logging());
    }

    private static void send(KafkaProducer<String, byte[]> producer, AvroValueEncoding encoding, GeneratedRecord record)
    {
        producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), encoding.encode(record)));
    }

    /** A generic consumer: bytes in, schema by id over plain HTTP, the standard Avro reader. */
    private Map<String, GenericRecord> readAvroOutput(int expectedCount)
            throws IOException, InterruptedException
    {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "avro-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, GenericRecord> events = new HashMap<>();
        Map<Integer, Schema> schemas = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (events.size() < expectedCount) {
                assertThat(System.nanoTime()).as("read %s of %s events in time", events.size(), expectedCount).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ByteBuffer value = ByteBuffer.wrap(record.value());
                    assertThat(value.get()).as("magic byte").isZero();
                    int schemaId = value.getInt();
                    Schema schema = schemas.computeIfAbsent(schemaId, AvroPipelineOnBrokerTest::schemaById);
                    GenericRecord event = new GenericDatumReader<GenericRecord>(schema)
                            .read(null, DecoderFactory.get().binaryDecoder(record.value(), 5, record.value().length - 5, null));
                    assertThat(events.put(event.get("event_id").toString(), event)).as("duplicate output").isNull();
                    assertThat(record.key()).isEqualTo(event.get("user_id").toString());
                }
            }
            Thread.sleep(1_000); // nothing more may follow
            for (ConsumerRecord<String, byte[]> extra : consumer.poll(Duration.ofMillis(500))) {
                throw new AssertionError("unexpected extra output at offset " + extra.offset());
            }
        }
        assertThat(schemas).hasSize(1);
        return events;
    }

    private static Schema schemaById(int id)
    {
        try {
            return new Schema.Parser().parse(JSON.readTree(get("/schemas/ids/" + id)).get("schema").asText());
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A plain HTTP GET of the registry, independent of our client. */
    private static String get(String path)
    {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(registryUrl.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
            return response.body();
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Each Avro field equals the JSON result's value, compared by meaning (an Avro timestamp is the same instant). */
    private static void assertMatches(GenericRecord actual, JsonNode expected)
    {
        for (Schema.Field field : actual.getSchema().getFields()) {
            Object value = actual.get(field.name());
            JsonNode json = expected.path(field.name());
            String where = expected.get("event_id").asText() + "." + field.name();
            if (value == null) {
                assertThat(json.isNull() || json.isMissingNode()).as(where + " is null, expected " + json).isTrue();
                continue;
            }
            Schema type = field.schema().getType() == Schema.Type.UNION ? field.schema().getTypes().get(GenericData.get().resolveUnion(field.schema(), value))
                    : field.schema();
            assertThat(normalize(value, type)).as(where).isEqualTo(normalizeJson(json, type));
        }
    }

    private static Object normalize(Object value, Schema type)
    {
        return switch (type.getType()) {
            case LONG -> type.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Instant.ofEpochMilli((Long) value) : value;
            case INT -> ((Integer) value).longValue();
            case FLOAT -> (double) (Float) value;
            case ARRAY -> ((List<?>) value).stream().map(element -> normalize(element, type.getElementType())).toList();
            case STRING -> value.toString();
            default -> value;
        };
    }

    private static Object normalizeJson(JsonNode json, Schema type)
    {
        return switch (type.getType()) {
            case LONG -> type.getLogicalType() instanceof LogicalTypes.TimestampMillis ? Instant.parse(json.asText()) : json.asLong();
            case INT -> json.asLong();
            case FLOAT -> (double) (float) json.asDouble();
            case DOUBLE -> json.asDouble();
            case BOOLEAN -> json.asBoolean();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                json.forEach(element -> list.add(normalizeJson(element, type.getElementType())));
                yield list;
            }
            // schema-less JSON pass-through columns are written as their text (JSON text for arrays and numbers)
            case STRING -> json.isTextual() ? json.asText() : json.toString();
            default -> throw new AssertionError("unexpected output type " + type);
        };
    }
}
