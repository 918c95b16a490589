package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.kaflowsql.node.internal.registry.SchemaRegistryStoreTest.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded registry over HTTP, on a real embedded broker shared by the class. Every test uses its
 * own subjects; ids are global, so tests compare ids with each other, never with fixed numbers.
 */
class EmbeddedSchemaRegistryTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    private static final String WITH_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    private static final String WITH_REQUIRED = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    private static final String EMPTY = record("");

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start()
    {
        broker = EmbeddedKafkaBroker.start(dataDir, 0, 1);
        registry = startRegistry();
    }

    @AfterAll
    static void stop()
    {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void registeredSchemaIsFoundByIdSubjectVersionAndLatest()
            throws Exception
    {
        Answer first = call("POST", "/subjects/rt-value/versions", schemaRequest(V1));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        int id1 = first.json().get("id").asInt();
        int id2 = call("POST", "/subjects/rt-value/versions", "{\"schema\":" + quote(WITH_DEFAULT) + ",\"schemaType\":\"AVRO\"}").json().get("id").asInt();
        assertThat(id2).isGreaterThan(id1);

        assertThat(parse(call("GET", "/schemas/ids/" + id1, null).json().get("schema").asText())).isEqualTo(parse(V1));
        assertThat(call("GET", "/schemas/ids/" + id1 + "/subjects", null).json()).contains(JSON.valueToTree("rt-value"));
        assertThat(call("GET", "/subjects", null).json()).contains(JSON.valueToTree("rt-value"));
        assertThat(call("GET", "/subjects/rt-value/versions", null).json().toString()).isEqualTo("[1,2]");

        JsonNode version1 = call("GET", "/subjects/rt-value/versions/1", null).json();
        assertThat(version1.get("subject").asText()).isEqualTo("rt-value");
        assertThat(version1.get("version").asInt()).isEqualTo(1);
        assertThat(version1.get("id").asInt()).isEqualTo(id1);
        assertThat(parse(version1.get("schema").asText())).isEqualTo(parse(V1));
        JsonNode latest = call("GET", "/subjects/rt-value/versions/latest", null).json();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(parse(call("GET", "/subjects/rt-value/versions/2/schema", null).body())).isEqualTo(parse(WITH_DEFAULT));

        JsonNode lookup = call("POST", "/subjects/rt-value", schemaRequest(V1)).json();
        assertThat(lookup.get("version").asInt()).isEqualTo(1);
        assertThat(lookup.get("id").asInt()).isEqualTo(id1);
    }

    @Test
    void sameSchemaKeepsItsIdWithoutNewVersionAndIsSharedAcrossSubjects()
            throws Exception
    {
        String schema = record("{\"name\":\"same\",\"type\":\"boolean\"},{\"name\":\"other\",\"type\":\"int\"}");
        int id = call("POST", "/subjects/same-a-value/versions", schemaRequest(schema)).json().get("id").asInt();
        String reformatted = schema.replace(",", ",\n  ");

        assertThat(call("POST", "/subjects/same-a-value/versions", schemaRequest(reformatted)).json().get("id").asInt()).isEqualTo(id);
        assertThat(call("GET", "/subjects/same-a-value/versions", null).json().toString()).isEqualTo("[1]");
        assertThat(call("POST", "/subjects/same-b-value/versions", schemaRequest(schema)).json().get("id").asInt()).isEqualTo(id);
        assertThat(call("GET", "/schemas/ids/" + id + "/subjects", null).json().toString()).isEqualTo("[\"same-a-value\",\"same-b-value\"]");
    }

    @Test
    void backwardByDefaultRejectsARequiredFieldAndNoneLetsItThrough()
            throws Exception
    {
        call("POST", "/subjects/bw-value/versions", schemaRequest(V1));
        assertThat(call("GET", "/config/bw-value?defaultToGlobal=true", null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        Answer rejected = call("POST", "/subjects/bw-value/versions", schemaRequest(WITH_REQUIRED));
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.json().get("error_code").asInt()).isEqualTo(409);
        assertThat(rejected.json().get("message").asText())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \"bw-value\", details: ")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(call("POST", "/subjects/bw-value/versions", schemaRequest(WITH_DEFAULT)).status()).isEqualTo(200);

        Answer none = call("PUT", "/config/bw-value", "{\"compatibility\":\"NONE\"}");
        assertThat(none.json().get("compatibility").asText()).isEqualTo("NONE");
        assertThat(call("GET", "/config/bw-value", null).json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(call("POST", "/subjects/bw-value/versions", schemaRequest(WITH_REQUIRED)).status()).isEqualTo(200);
        assertThat(call("GET", "/subjects/bw-value/versions", null).json().toString()).isEqualTo("[1,2,3]");
    }

    @Test
    void forwardAndFullLevelsCheckThatOldReadersReadNewData()
            throws Exception
    {
        call("PUT", "/config/fw-value", "{\"compatibility\":\"FORWARD\"}");
        call("POST", "/subjects/fw-value/versions", schemaRequest(V1));
        assertThat(call("POST", "/subjects/fw-value/versions", schemaRequest(EMPTY)).status()).as("old reader misses a").isEqualTo(409);
        assertThat(call("POST", "/subjects/fw-value/versions", schemaRequest(WITH_REQUIRED)).status()).isEqualTo(200);

        call("PUT", "/config/full-value", "{\"compatibility\":\"full\"}");
        call("POST", "/subjects/full-value/versions", schemaRequest(V1));
        assertThat(call("POST", "/subjects/full-value/versions", schemaRequest(WITH_REQUIRED)).status()).isEqualTo(409);
        assertThat(call("POST", "/subjects/full-value/versions", schemaRequest(EMPTY)).status()).isEqualTo(409);
        assertThat(call("POST", "/subjects/full-value/versions", schemaRequest(WITH_DEFAULT)).status()).isEqualTo(200);
    }

    @Test
    void compatibilityEndpointAnswersWithVerboseMessages()
            throws Exception
    {
        call("POST", "/subjects/cmp-value/versions", schemaRequest(V1));

        JsonNode verbose = call("POST", "/compatibility/subjects/cmp-value/versions/latest?verbose=true", schemaRequest(WITH_REQUIRED)).json();
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "oldSchemaVersion: 1");
        JsonNode quiet = call("POST", "/compatibility/subjects/cmp-value/versions/1", schemaRequest(WITH_REQUIRED)).json();
        assertThat(quiet.get("is_compatible").asBoolean()).isFalse();
        assertThat(quiet.has("messages")).isFalse();
        assertThat(call("POST", "/compatibility/subjects/cmp-value/versions", schemaRequest(WITH_DEFAULT)).json().get("is_compatible").asBoolean()).isTrue();
        assertThat(call("GET", "/subjects/cmp-value/versions", null).json().toString()).as("testing registers nothing").isEqualTo("[1]");

        assertError(call("POST", "/compatibility/subjects/cmp-missing-value/versions/latest", schemaRequest(V1)), 404, 40401);
        assertError(call("POST", "/compatibility/subjects/cmp-value/versions/7", schemaRequest(V1)), 404, 40402);
    }

    @Test
    void globalAndSubjectLevelsAreReadAndSet()
            throws Exception
    {
        assertThat(call("GET", "/config", null).json().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        try {
            assertThat(call("PUT", "/config", "{\"compatibility\":\"FULL\"}").json().toString()).isEqualTo("{\"compatibility\":\"FULL\"}");
            assertThat(call("GET", "/config", null).json().get("compatibilityLevel").asText()).isEqualTo("FULL");

            assertError(call("GET", "/config/cfg-value", null), 404, 40408);
            assertThat(call("GET", "/config/cfg-value?defaultToGlobal=true", null).json().get("compatibilityLevel").asText()).isEqualTo("FULL");
            call("PUT", "/config/cfg-value", "{\"compatibility\":\"BACKWARD_TRANSITIVE\"}");
            assertThat(call("GET", "/config/cfg-value", null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD_TRANSITIVE");
            assertThat(call("DELETE", "/config/cfg-value", null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD_TRANSITIVE");
            assertError(call("GET", "/config/cfg-value", null), 404, 40408);

            assertError(call("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
            assertError(call("PUT", "/config/cfg-value", "{}"), 422, 42203);
        }
        finally {
            call("PUT", "/config", "{\"compatibility\":\"BACKWARD\"}");
        }
        assertThat(call("GET", "/config", null).json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void errorsCarryConfluentCodesAndNeverBreakTheServer()
            throws Exception
    {
        call("POST", "/subjects/err-value/versions", schemaRequest(V1));

        Answer missingId = call("GET", "/schemas/ids/999999", null);
        assertError(missingId, 404, 40403);
        assertThat(missingId.json().get("message").asText()).isEqualTo("Schema 999999 not found");
        assertError(call("GET", "/subjects/err-missing-value/versions", null), 404, 40401);
        assertError(call("GET", "/subjects/err-missing-value/versions/latest", null), 404, 40401);
        assertError(call("GET", "/subjects/err-value/versions/5", null), 404, 40402);
        assertError(call("GET", "/subjects/err-value/versions/abc", null), 422, 42202);
        assertError(call("GET", "/subjects/err-value/versions/0", null), 422, 42202);
        assertError(call("POST", "/subjects/err-value", schemaRequest(EMPTY)), 404, 40403);
        assertError(call("POST", "/subjects/err-missing-value", schemaRequest(V1)), 404, 40401);

        Answer invalid = call("POST", "/subjects/err-value/versions", schemaRequest("{\"type\":\"record\",\"name\":\"R\"}"));
        assertError(invalid, 422, 42201);
        assertThat(invalid.json().get("message").asText()).startsWith("Invalid schema");
        assertError(call("POST", "/subjects/err-value/versions", schemaRequest("not json at all")), 422, 42201);
        Answer protobuf = call("POST", "/subjects/err-value/versions", "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        assertError(protobuf, 422, 42201);
        assertThat(protobuf.json().get("message").asText()).contains("AVRO");
        assertError(call("POST", "/subjects/err-value/versions", "{\"schema\": "), 400, 400);
        assertError(call("POST", "/subjects/err-value/versions", "[1,2]"), 422, 422);
        assertError(call("POST", "/subjects/err-value/versions", "{\"schema\": 42}"), 422, 42201);
        assertError(call("POST", "/subjects/err-value/versions", ""), 422, 422);

        Answer unknown = call("GET", "/nowhere/at/all", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().toString()).isEqualTo("{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
        assertError(call("PATCH", "/subjects", "{}"), 405, 405);
        assertError(call("DELETE", "/schemas/ids/1", null), 405, 405);

        assertThat(call("GET", "/", null).json().toString()).isEqualTo("{}");
        assertThat(call("GET", "/subjects/err-value/versions", null).json().toString()).as("nothing was registered by bad requests").isEqualTo("[1]");
    }

    @Test
    void subjectsInPathsAreUrlDecoded()
            throws Exception
    {
        String subject = "team/orders value+x-value";
        String encoded = URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");

        assertThat(call("POST", "/subjects/" + encoded + "/versions", schemaRequest(V1)).status()).isEqualTo(200);
        assertThat(call("GET", "/subjects", null).json()).contains(JSON.valueToTree(subject));
        assertThat(call("GET", "/subjects/" + encoded + "/versions/latest", null).json().get("subject").asText()).isEqualTo(subject);
    }

    @Test
    void concurrentRegistrationsGetDistinctDenseIds()
            throws Exception
    {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String schema = record("{\"name\":\"c" + i + "\",\"type\":\"string\"}");
                String subject = "conc-" + i + "-value";
                ids.add(pool.submit(() -> call("POST", "/subjects/" + subject + "/versions", schemaRequest(schema)).json().get("id").asInt()));
            }
            List<Integer> assigned = new ArrayList<>();
            for (Future<Integer> id : ids) {
                assigned.add(id.get(60, TimeUnit.SECONDS));
            }
            assertThat(assigned).doesNotHaveDuplicates();
            int lowest = assigned.stream().min(Integer::compare).orElseThrow();
            assertThat(assigned).containsExactlyInAnyOrderElementsOf(IntStream.range(lowest, lowest + threads).boxed().toList());
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void softDeletedSubjectDisappearsWhileItsIdsStayResolvable()
            throws Exception
    {
        int id = call("POST", "/subjects/del-value/versions", schemaRequest(WITH_DEFAULT)).json().get("id").asInt();

        assertThat(call("DELETE", "/subjects/del-value", null).json().toString()).isEqualTo("[1]");
        assertThat(call("GET", "/subjects", null).json()).doesNotContain(JSON.valueToTree("del-value"));
        assertError(call("GET", "/subjects/del-value/versions", null), 404, 40401);
        assertThat(call("GET", "/schemas/ids/" + id, null).status()).isEqualTo(200);
        assertError(call("DELETE", "/subjects/del-value", null), 404, 40401);
    }

    @Test
    void restartOnTheSameKafkaRestoresSchemasVersionsAndLevelsAndContinuesIds()
            throws Exception
    {
        int id1 = call("POST", "/subjects/dur-value/versions", schemaRequest(V1)).json().get("id").asInt();
        int id2 = call("POST", "/subjects/dur-value/versions", schemaRequest(WITH_DEFAULT)).json().get("id").asInt();
        call("PUT", "/config/dur-value", "{\"compatibility\":\"FULL_TRANSITIVE\"}");
        JsonNode subjectsBefore = call("GET", "/subjects", null).json();

        registry.close();
        registry = startRegistry();

        assertThat(call("GET", "/subjects", null).json()).isEqualTo(subjectsBefore);
        assertThat(call("GET", "/subjects/dur-value/versions", null).json().toString()).isEqualTo("[1,2]");
        assertThat(call("GET", "/subjects/dur-value/versions/1", null).json().get("id").asInt()).isEqualTo(id1);
        assertThat(call("GET", "/subjects/dur-value/versions/latest", null).json().get("id").asInt()).isEqualTo(id2);
        assertThat(parse(call("GET", "/schemas/ids/" + id2, null).json().get("schema").asText())).isEqualTo(parse(WITH_DEFAULT));
        assertThat(call("GET", "/config/dur-value", null).json().get("compatibilityLevel").asText()).isEqualTo("FULL_TRANSITIVE");
        assertThat(call("POST", "/subjects/dur-value/versions", schemaRequest(V1)).json().get("id").asInt()).as("still known").isEqualTo(id1);

        int highest = highestId();
        int next = call("POST", "/subjects/dur-next-value/versions", schemaRequest(record("{\"name\":\"n\",\"type\":\"long\"}"))).json().get("id").asInt();
        assertThat(next).isEqualTo(highest + 1).isGreaterThan(id2);
    }

    @Test
    void schemasTopicIsCompactedWithOnePartitionAndConfluentRecordLayout()
            throws Exception
    {
        int id = call("POST", "/subjects/topic-value/versions", schemaRequest(V1)).json().get("id").asInt();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            String policy = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource).get("cleanup.policy").value();
            assertThat(policy).isEqualTo("compact");
            TopicDescription description = admin.describeTopics(List.of("_schemas")).allTopicNames().get(60, TimeUnit.SECONDS).get("_schemas");
            assertThat(description.partitions()).hasSize(1);
        }
        List<ConsumerRecord<String, String>> records = readSchemasTopic();
        ConsumerRecord<String, String> record = records.stream().filter(r -> r.key().contains("\"topic-value\"")).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"topic-value\",\"version\":1,\"magic\":1}");
        JsonNode value = JSON.readTree(record.value());
        assertThat(value.get("id").asInt()).isEqualTo(id);
        assertThat(value.get("deleted").asBoolean()).isFalse();
        assertThat(parse(value.get("schema").asText())).isEqualTo(parse(V1));
    }

    private static EmbeddedSchemaRegistry startRegistry()
    {
        return EmbeddedSchemaRegistry.start(broker.bootstrapServers(), Map.of(), new InetSocketAddress("127.0.0.1", 0));
    }

    /** The highest id in the registry: ids are dense from 1, so the last one that resolves. */
    private static int highestId()
            throws Exception
    {
        int id = 1;
        while (call("GET", "/schemas/ids/" + (id + 1), null).status() == 200) {
            id++;
        }
        return id;
    }

    private static List<ConsumerRecord<String, String>> readSchemasTopic()
    {
        TopicPartition partition = new TopicPartition("_schemas", 0);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static void assertError(Answer answer, int status, int errorCode)
    {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.json().get("error_code").asInt()).as("error_code of %s", answer.body()).isEqualTo(errorCode);
        assertThat(answer.json().get("message").asText()).isNotBlank();
    }

    private static String schemaRequest(String schema)
    {
        return "{\"schema\":" + quote(schema) + "}";
    }

    private static String quote(String text)
    {
        return JSON.valueToTree(text).toString();
    }

    private static org.apache.avro.Schema parse(String schema)
    {
        return new org.apache.avro.Schema.Parser().parse(schema);
    }

    private static Answer call(String method, String path, String body)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/vnd.schemaregistry.v1+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return new Answer(response.statusCode(), contentType, response.body(), JSON.readTree(response.body()));
    }

    private record Answer(int status, String contentType, String body, JsonNode json) {}
}
