package io.kaflowsql.engine.internal.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.api.RejectReason.DRIVING_TOMBSTONE;
import static io.kaflowsql.engine.api.RejectReason.EVALUATION_ERROR;
import static io.kaflowsql.engine.api.RejectReason.MISSING_JOIN_KEY;
import static io.kaflowsql.engine.api.RejectReason.MISSING_KEY;
import static io.kaflowsql.engine.api.RejectReason.PARTITION_KEY_MISMATCH;
import static io.kaflowsql.engine.api.RejectReason.RECORD_TOO_LARGE;
import static io.kaflowsql.engine.api.RejectReason.UNDECODABLE;
import static io.kaflowsql.engine.api.RejectReason.UNENCODABLE_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus against the seed pipeline (clickstreams driving, keyed by user_id; purchase_history
 * an event table; user_profiles and products dimensions): every bad record is rejected with its reason,
 * nothing throws, and every good record around it is emitted. Each test interleaves good clicks with bad
 * records and, after it, checks the exact outputs, the exact dead letters (source topic, offset and reason
 * as their headers say) and the per-reason counters.
 */
class BadInputCorpusTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");
    private static final long T0 = 1_750_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    private CompiledPipeline pipeline;
    private PipelineTestDriver driver;
    private final List<String> expectedEventIds = new ArrayList<>();
    private final List<String> expectedRejects = new ArrayList<>();
    private final Map<RejectReason, Integer> expectedCounts = new EnumMap<>(RejectReason.class);
    private long nextOffset;
    private int goodClicks;

    @AfterEach
    void everyGoodRecordIsEmittedAndEveryBadOneRejectedWithItsReason()
    {
        if (driver == null) {
            return;
        }
        List<OutputRecord> outputs = driver.readOutputs();
        assertThat(outputs).extracting(BadInputCorpusTest::eventId).containsExactlyElementsOf(expectedEventIds);
        DeadLetters deadLetters = DeadLetters.of(pipeline);
        assertThat(driver.rejected()).extracting(rejected -> describe(deadLetters.record(rejected.input(), rejected.reason(), rejected.detail())))
                .containsExactlyElementsOf(expectedRejects);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(driver.metrics().rejectedCount(reason)).as(reason.label()).isEqualTo(expectedCounts.getOrDefault(reason, 0).longValue());
        }
        driver.close();
    }

    @Test
    void malformedBytesAreUndecodable()
    {
        seed(InputLimits.DEFAULTS);
        good();
        bad("clickstreams", "u1", "{\"event_id\": \"bad\", \"user_id\": ", UNDECODABLE);
        good();
        bad("purchase_history", "u1", "{\"user_id\": \"u1\", \"last_category\": \"bo", UNDECODABLE);
        good();
        bad("clickstreams", "u1", "[1, 2, 3]", UNDECODABLE);
        good();
        bad("clickstreams", "u1", "{\"event_id\": \"bad\"} trailing", UNDECODABLE);
        good();
        // invalid UTF-8 inside a string the query reads (0xC3 must be followed by a continuation byte)
        bad("clickstreams", bytes("u1"), withBytes(click("bad", "u1", "p1", "page_view"), "page_view", (byte) 0xC3, (byte) 0x28), UNDECODABLE);
        good();
        // invalid UTF-8 inside a string the query skips (referrer is not selected)
        bad("clickstreams", bytes("u1"), withBytes(click("bad", "u1", "p1", "page_view"), "google", (byte) 0xFF), UNDECODABLE);
        good();
        // well-formed-looking but invalid: an overlong NUL, and a code point past U+10FFFF (Jackson accepts both)
        bad("clickstreams", bytes("u1"), withBytes(click("bad", "u1", "p1", "page_view"), "/p/", (byte) 0xC0, (byte) 0x80), UNDECODABLE);
        good();
        bad("clickstreams", bytes("u1"), withBytes(click("bad", "u1", "p1", "page_view"), "US-", (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80),
                UNDECODABLE);
        good();
        // a lone continuation byte in a field name, on the event table
        bad("purchase_history", bytes("u1"), withBytes(history("u1", "books"), "last_category", (byte) 0x80), UNDECODABLE);
        good();
        // an undecodable dimension row is rejected, not applied, and the table keeps its old row
        bad("products", "p1", "{\"product_id\": \"p1\", \"category\": ", UNDECODABLE);
        good();
    }

    @Test
    void wrongTypesOfJoinedAndComputedColumnsAreEvaluationErrors()
    {
        seed(InputLimits.DEFAULTS);
        good();
        bad("clickstreams", "u1", click("bad", "u1", "p1", "page_view").replace("\"product_id\":\"p1\"", "\"product_id\":{\"a\":1}"), EVALUATION_ERROR);
        good();
        bad("clickstreams", "u1", click("bad", "u1", "p1", "page_view").replace("\"product_id\":\"p1\"", "\"product_id\":[1]"), EVALUATION_ERROR);
        good();
        bad("clickstreams", "u1", click("bad", "u1", "p1", "page_view").replace("\"user_id\":\"u1\"", "\"user_id\":[1]"), EVALUATION_ERROR);
        good();
        bad("purchase_history", "u1", history("u1", "books").replace("\"user_id\":\"u1\"", "\"user_id\":[1]"), EVALUATION_ERROR);
        good();
        // the dimension row is accepted (nothing reads price while applying it); the click that compares it fails
        driver.pipe("products", "p2", product("p2", "books", "\"expensive\""), T0);
        nextOffset++;
        bad("clickstreams", "u1", click("bad", "u1", "p2", "page_view"), EVALUATION_ERROR);
        good();
        bad("products", "p3", product("p3", "books", "1.0").replace("\"product_id\":\"p3\"", "\"product_id\":[\"p3\"]"), EVALUATION_ERROR);
        good();
    }

    @Test
    void keysThatAreMissingOrDisagreeWithTheJoinColumnAreRejected()
    {
        seed(InputLimits.DEFAULTS);
        good();
        bad("clickstreams", null, click("bad", "u1", "p1", "page_view").getBytes(StandardCharsets.UTF_8), MISSING_KEY);
        good();
        bad("purchase_history", null, history("u1", "books").getBytes(StandardCharsets.UTF_8), MISSING_KEY);
        good();
        bad("purchase_history", null, (byte[]) null, MISSING_KEY);
        good();
        bad("clickstreams", "u1", click("bad", "u1", "p1", "page_view").replace("\"user_id\":\"u1\"", "\"user_id\":null"), PARTITION_KEY_MISMATCH);
        good();
        bad("clickstreams", "u1", click("bad", "u2", "p1", "page_view"), PARTITION_KEY_MISMATCH);
        good();
        bad("purchase_history", "u1", history("u1", "books").replace("\"user_id\":\"u1\"", "\"user_id\":null"), MISSING_JOIN_KEY);
        good();
        bad("user_profiles", "u9", "{\"user_id\": null, \"subscription_tier\": \"free\"}", MISSING_JOIN_KEY);
        good();
    }

    @Test
    void tombstoneOnTheDrivingStreamIsRejected()
    {
        seed(InputLimits.DEFAULTS);
        good();
        bad("clickstreams", bytes("u1"), (byte[]) null, DRIVING_TOMBSTONE);
        good();
        bad("clickstreams", null, (byte[]) null, DRIVING_TOMBSTONE);
        good();
    }

    @Test
    void recordOverOneMebibyteIsRejectedBeforeDecoding()
    {
        seed(InputLimits.DEFAULTS);
        good();
        String padding = "x".repeat(InputLimits.MAX_RECORD_BYTES_DEFAULT);
        bad("clickstreams", "u1", click("bad", "u1", "p1", "page_view").replace("\"referrer\":\"google\"", "\"referrer\":\"" + padding + "\""),
                RECORD_TOO_LARGE);
        good();
        // over the limit and not even JSON: the size is checked first
        byte[] garbage = new byte[InputLimits.MAX_RECORD_BYTES_DEFAULT + 1];
        Arrays.fill(garbage, (byte) 0xFF);
        bad("clickstreams", bytes("u1"), garbage, RECORD_TOO_LARGE);
        good();
    }

    @Test
    void sizeLimitAppliesToEventTablesAndDimensions()
    {
        seed(new InputLimits(1024));
        good();
        String padding = "x".repeat(1024);
        bad("purchase_history", "u1", history("u1", padding), RECORD_TOO_LARGE);
        good();
        bad("products", "p1", product("p1", padding, "1.0"), RECORD_TOO_LARGE);
        good();
        // the limit is inclusive: a record of exactly the limit is processed
        String click = click(nextEventId(), "u1", "p1", "page_view");
        String exact = click.replace("\"referrer\":\"google\"", "\"referrer\":\"" + "y".repeat(1024 - click.length() + "google".length()) + "\"");
        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
        pipeGood(exact);
    }

    @Test
    void heldRecordThatFailsWhenReleasedIsRejectedWithoutItsInput()
    {
        seed(InputLimits.DEFAULTS);
        good();
        // product p7 is unknown, so the click waits for product_category (smart emission)
        driver.pipe("clickstreams", "u1", click("held", "u1", "p7", "page_view"), T0);
        nextOffset++;
        assertThat(driver.metrics().heldCount()).isEqualTo(1);
        good();
        // p7 arrives with a price that cannot be compared: the held click fails on release
        driver.pipe("products", "p7", product("p7", "books", "\"expensive\""), T0);
        nextOffset++;
        expectReject(null, -1, EVALUATION_ERROR);
        good();
    }

    @Test
    void arithmeticOverflowIsAnEvaluationErrorAndAnUnusableOutputKeyIsUnencodable()
    {
        String text = """
                name: scaled
                query: |
                  SELECT c.event_id, c.device, c.quantity * 1000 AS scaled, CAST(c.big AS BIGINT) + 1 AS big_next, p.category
                  FROM clickstreams c
                  LEFT JOIN products p ON c.product_id = p.product_id
                output:
                  topic: scaled_events
                  key: device
                state:
                  dimensions: [products]
                """;
        pipeline = new PipelineLoader().load(text, "scaled.yaml", d -> d.withOutputFormat(OutputFormat.JSON));
        driver = new PipelineTestDriver(pipeline, stateDir);
        pipeGood("{\"event_id\":\"" + nextEventId() + "\",\"device\":\"mobile\",\"quantity\":3,\"product_id\":\"p1\"}");
        // a JSON number is a DOUBLE here; 1e308 * 1000 is not finite, which JSON cannot carry
        bad("clickstreams", null, "{\"event_id\":\"bad\",\"device\":\"mobile\",\"quantity\":1e308,\"product_id\":\"p1\"}", EVALUATION_ERROR);
        pipeGood("{\"event_id\":\"" + nextEventId() + "\",\"device\":\"mobile\",\"quantity\":2,\"product_id\":\"p1\"}");
        // BIGINT arithmetic overflows instead of wrapping
        bad("clickstreams", null, "{\"event_id\":\"bad\",\"device\":\"mobile\",\"quantity\":1,\"big\":" + Long.MAX_VALUE + ",\"product_id\":\"p1\"}",
                EVALUATION_ERROR);
        pipeGood("{\"event_id\":\"" + nextEventId() + "\",\"device\":\"mobile\",\"quantity\":4,\"product_id\":\"p1\"}");
        bad("clickstreams", null, "{\"event_id\":\"bad\",\"device\":[\"mobile\",\"tablet\"],\"quantity\":1,\"product_id\":\"p1\"}",
                UNENCODABLE_OUTPUT);
        pipeGood("{\"event_id\":\"" + nextEventId() + "\",\"device\":\"desktop\",\"quantity\":5,\"product_id\":\"p1\"}");
    }

    private void seed(InputLimits limits)
    {
        pipeline = new PipelineLoader().load(SEED, d -> d.withOutputFormat(OutputFormat.JSON));
        driver = new PipelineTestDriver(pipeline, stateDir, limits);
        driver.pipe("user_profiles", "u1", profile("u1"), T0)
                .pipe("products", "p1", product("p1", "electronics", "99.5"), T0)
                .pipe("purchase_history", "u1", history("u1", "books"), T0);
        nextOffset += 3;
    }

    /** A click of u1 on p1 that the seed pipeline emits at once. */
    private void good()
    {
        pipeGood(click(nextEventId(), "u1", "p1", "page_view"));
    }

    private String nextEventId()
    {
        return "good-" + (goodClicks + 1);
    }

    private void pipeGood(String json)
    {
        goodClicks++;
        String eventId = "good-" + goodClicks;
        assertThat(json).contains("\"" + eventId + "\"");
        driver.pipe("clickstreams", json.contains("\"user_id\":\"u1\"") ? "u1" : null, json, T0 + goodClicks);
        nextOffset++;
        expectedEventIds.add(eventId);
    }

    private void bad(String topic, String key, String json, RejectReason reason)
    {
        bad(topic, bytes(key), bytes(json), reason);
    }

    private void bad(String topic, byte[] key, byte[] value, RejectReason reason)
    {
        driver.pipe(topic, key, value, T0 + goodClicks);
        expectReject(topic, nextOffset++, reason);
    }

    private void expectReject(String topic, long offset, RejectReason reason)
    {
        expectedRejects.add(topic == null ? "held " + reason.label() : topic + "@" + offset + " " + reason.label());
        expectedCounts.merge(reason, 1, Integer::sum);
    }

    /** The dead letter as its headers tell it: where the record came from and why it was rejected. */
    private static String describe(ProducerRecord<byte[], byte[]> deadLetter)
    {
        assertThat(deadLetter.topic()).isEqualTo(deadLetterTopic(deadLetter));
        assertThat(header(deadLetter, DeadLetters.ERROR_MESSAGE)).isNotBlank();
        String reason = header(deadLetter, DeadLetters.ERROR_REASON);
        return "true".equals(header(deadLetter, DeadLetters.SOURCE_HELD))
                ? "held " + reason
                : header(deadLetter, DeadLetters.SOURCE_TOPIC) + "@" + header(deadLetter, DeadLetters.SOURCE_OFFSET) + " " + reason;
    }

    private static String deadLetterTopic(ProducerRecord<byte[], byte[]> deadLetter)
    {
        return header(deadLetter, DeadLetters.PIPELINE).equals("scaled") ? "scaled_events-dlq" : "personalized_events-dlq";
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name)
    {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String eventId(OutputRecord record)
    {
        try {
            return JSON.readTree(record.value()).get("event_id").asText();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String text)
    {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code json} with {@code bad} bytes inserted right after the first occurrence of {@code after}. */
    private static byte[] withBytes(String json, String after, byte... bad)
    {
        int at = json.indexOf(after) + after.length();
        assertThat(at).isGreaterThanOrEqualTo(after.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(json.substring(0, at)));
        out.writeBytes(bad);
        out.writeBytes(bytes(json.substring(at)));
        return out.toByteArray();
    }

    private static String click(String eventId, String userId, String productId, String eventType)
    {
        return """
                {"event_id":"%s","user_id":"%s","session_id":"s1","event_type":"%s","page_url":"/p/%s",\
                "product_id":"%s","timestamp":"2025-06-20T10:15:00Z","referrer":"google","device":"desktop","location":"US-CA"}"""
                .formatted(eventId, userId, eventType, productId, productId);
    }

    private static String profile(String userId)
    {
        return """
                {"user_id":"%s","subscription_tier":"premium","age_group":"25-34","location":"US-CA",\
                "preferences":["books"],"total_orders":15,"lifetime_value":2450.0}"""
                .formatted(userId);
    }

    /** @param price raw JSON, e.g. {@code 99.5} or {@code "expensive"} */
    private static String product(String productId, String category, String price)
    {
        return """
                {"product_id":"%s","name":"Laptop","category":"%s","subcategory":"laptops","brand":"TechCorp",\
                "price":%s,"rating":4.5,"tags":["tech"]}"""
                .formatted(productId, category, price);
    }

    private static String history(String userId, String lastCategory)
    {
        return """
                {"user_id":"%s","last_purchase_date":"2025-06-20","last_category":"%s","avg_order_value":245.5,\
                "purchase_frequency":"weekly","favorite_brands":["TechCorp"]}"""
                .formatted(userId, lastCategory);
    }
}
