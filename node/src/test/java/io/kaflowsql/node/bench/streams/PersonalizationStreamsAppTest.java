package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.kaflowsql.node.bench.streams.PersonalizationStreamsApp.PRODUCTS;
import static io.kaflowsql.node.bench.streams.PersonalizationStreamsApp.PURCHASE_HISTORY;
import static io.kaflowsql.node.bench.streams.PersonalizationStreamsApp.USER_PROFILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Keeps the benchmark honest: the same input records go through the hand-written Kafka Streams application
 * ({@link TopologyTestDriver}) and through the seed pipeline file on the engine ({@link PipelineTestDriver}),
 * and both must write the same results: same keys, same order, same JSON trees (numbers compared by value,
 * so {@code 2450} and {@code 2450.0} are equal).
 */
class PersonalizationStreamsAppTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");
    private static final String CLICKS = "clickstreams";
    private static final String OUTPUT = "personalized_events";
    private static final long T0 = Instant.parse("2025-07-05T14:30:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers equal by value (the engine may write a DOUBLE column's integral value without a fraction), everything else by equals. */
    private static final Comparator<JsonNode> SQL_EQUALITY = (left, right) -> left.isNumber() && right.isNumber()
            ? left.decimalValue().compareTo(right.decimalValue())
            : left.equals(right) ? 0 : 1;

    @TempDir
    Path engineState;

    @TempDir
    Path streamsState;

    private PipelineTestDriver engine;
    private TopologyTestDriver streams;
    private final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
    private TestOutputTopic<String, String> output;

    @BeforeEach
    void setUp()
    {
        engine = new PipelineTestDriver(new PipelineLoader().load(SEED, definition -> definition.withOutputFormat(OutputFormat.JSON)), engineState);
        Properties config = PersonalizationStreamsApp.config("unused:9092", "personalization-test", "at_least_once", 1, 100, streamsState);
        streams = new TopologyTestDriver(PersonalizationStreamsApp.topology(CLICKS, OUTPUT, PersonalizationStreamsApp.StoreKind.ROCKSDB, config), config);
        for (String topic : List.of(CLICKS, USER_PROFILES, PRODUCTS, PURCHASE_HISTORY)) {
            inputs.put(topic, streams.createInputTopic(topic, new StringSerializer(), new StringSerializer()));
        }
        output = streams.createOutputTopic(OUTPUT, new StringDeserializer(), new StringDeserializer());
    }

    @AfterEach
    void tearDown()
    {
        streams.close();
        engine.close();
    }

    @Test
    void writesTheSameResultsAsTheSeedPipelineForGeneratedTraffic()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults()
                .withUsers(300).withProducts(80).withPurchaseHistoryShare(0.7).withStartEpochMillis(T0));
        dataset.userProfiles().forEach(this::pipe);
        dataset.products().forEach(this::pipe);
        dataset.purchaseHistory().forEach(this::pipe);
        int clicks = 2_000;
        for (int i = 0; i < clicks; i++) {
            pipe(dataset.nextClick(T0 + i * 100L));
        }

        List<JsonNode> results = sameResults();
        // WHERE drops about 10% and the require list about 12% (unknown user or product); the rest is written
        assertThat(results).hasSizeBetween(clicks / 2, clicks - 1);
        assertThat(results).extracting(result -> result.get("personalization_tier").asText())
                .contains("high_value_premium", "loyal_category_buyer", "frequent_buyer", "standard");
        assertThat(results).extracting(result -> result.get("price_sensitivity").asText()).contains("low", "medium", "high");
        assertThat(results).extracting(result -> result.get("category_affinity").asDouble()).contains(0.9, 0.8, 0.3);
        assertThat(results).anySatisfy(result -> assertThat(result.get("last_purchase_category").isNull()).isTrue());
        assertThat(results).allSatisfy(result -> assertThat(result.size()).isEqualTo(30));
    }

    @Test
    void nullColumnsMakeCaseConditionsFalseAsInSql()
    {
        pipe(USER_PROFILES, "u1", """
                {"user_id":"u1","subscription_tier":"premium","age_group":"25-34","location":"US-CA","total_orders":40}""");
        pipe(PRODUCTS, "p1", """
                {"product_id":"p1","name":"Mystery box","category":"toys","brand":"Acme"}""");
        pipe(CLICKS, "u1", click("e1", "u1", "p1", "page_view"));

        JsonNode result = sameResults().get(0);
        assertThat(result.get("category_affinity").asDouble()).isEqualTo(0.3);
        assertThat(result.get("price_sensitivity").asText()).isEqualTo("high");
        assertThat(result.get("personalization_tier").asText()).isEqualTo("standard");
        assertThat(result.get("product_price").isNull()).isTrue();
        assertThat(result.get("favorite_brands").isNull()).isTrue();
    }

    @Test
    void dropsClicksOutsideTheWhereListAndClicksMissingARequiredColumn()
    {
        pipe(USER_PROFILES, "u1", """
                {"user_id":"u1","subscription_tier":"free","preferences":["books"],"total_orders":1,"lifetime_value":10.5}""");
        pipe(USER_PROFILES, "u2", """
                {"user_id":"u2","preferences":["books"],"total_orders":1,"lifetime_value":10.5}""");
        pipe(PRODUCTS, "p1", """
                {"product_id":"p1","name":"Novel","category":"books","price":12.0}""");
        pipe(PURCHASE_HISTORY, "u1", """
                {"user_id":"u1","last_category":"books","purchase_frequency":"weekly","avg_order_value":20}""");
        pipe(CLICKS, "u1", click("purchase-type", "u1", "p1", "purchase"));
        pipe(CLICKS, "u9", click("unknown-user", "u9", "p1", "search"));
        pipe(CLICKS, "u1", click("unknown-product", "u1", "p9", "search"));
        pipe(CLICKS, "u2", click("no-tier", "u2", "p1", "search"));
        pipe(CLICKS, "u1", click("kept", "u1", "p1", "add_to_cart"));

        List<JsonNode> results = sameResults();
        assertThat(results).extracting(result -> result.get("event_id").asText()).containsExactly("kept");
        assertThat(results.get(0).get("personalization_tier").asText()).isEqualTo("frequent_buyer");
        assertThat(results.get(0).get("category_affinity").asDouble()).isEqualTo(0.9);
    }

    @Test
    void mapsTheEngineGuaranteeNamesToStreamsGuarantees()
    {
        assertThat(PersonalizationStreamsApp.processingGuarantee("exactly_once")).isEqualTo("exactly_once_v2");
        assertThat(PersonalizationStreamsApp.processingGuarantee("at_least_once")).isEqualTo("at_least_once");
        assertThatThrownBy(() -> PersonalizationStreamsApp.processingGuarantee("exactly_once_beta"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly_once_beta");
    }

    private void pipe(GeneratedRecord record)
    {
        engine.pipe(record.topic(), record.key(), record.json(), record.timestampMillis());
        inputs.get(record.topic()).pipeInput(record.key(), record.json(), record.timestampMillis());
    }

    private void pipe(String topic, String key, String json)
    {
        pipe(new GeneratedRecord(topic, key, json, T0));
    }

    private static String click(String eventId, String userId, String productId, String eventType)
    {
        return """
                {"event_id":"%s","user_id":"%s","session_id":"s1","event_type":"%s","page_url":"/p/%s","product_id":"%s",\
                "timestamp":"2025-07-05T14:30:00Z","referrer":"google","device":"mobile","location":"US-NY"}"""
                .formatted(eventId, userId, eventType, productId, productId);
    }

    /** Both sides' results so far, asserted equal (key, timestamp, JSON tree) record by record; returns the trees. */
    private List<JsonNode> sameResults()
    {
        List<OutputRecord> expected = engine.readOutputs();
        List<TestRecord<String, String>> actual = output.readRecordsToList();
        assertThat(actual).hasSameSizeAs(expected);
        List<JsonNode> trees = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = tree(expected.get(i).valueText());
            JsonNode got = tree(actual.get(i).value());
            assertThat(actual.get(i).key()).as("key of result %d", i).isEqualTo(expected.get(i).key());
            assertThat(actual.get(i).timestamp()).as("timestamp of result %d", i).isEqualTo(expected.get(i).timestamp());
            assertThat(fieldNames(got)).as("columns of result %d", i).isEqualTo(fieldNames(want));
            assertThat(got.equals(SQL_EQUALITY, want)).as("result %d%n streams: %s%n engine:  %s", i, got, want).isTrue();
            trees.add(got);
        }
        return trees;
    }

    private static List<String> fieldNames(JsonNode node)
    {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode tree(String json)
    {
        try {
            return JSON.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
