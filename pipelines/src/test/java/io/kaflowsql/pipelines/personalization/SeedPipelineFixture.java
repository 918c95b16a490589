package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The seed pipeline file, verbatim, plus builders for its input records. */
final class SeedPipelineFixture
{
    static final Path PIPELINE = Path.of("personalization/pipeline.yaml");
    static final long T0 = Instant.parse("2025-07-05T14:30:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SeedPipelineFixture() {}

    static String seedText()
    {
        try {
            return Files.readString(PIPELINE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The verbatim pipeline with its output format overridden to JSON (Avro needs a registry). */
    static CompiledPipeline seedPipeline()
    {
        return new PipelineLoader().load(PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON));
    }

    static CompiledPipeline pipeline(String text)
    {
        return new PipelineLoader().load(text, "test-pipeline.yaml", definition -> definition.withOutputFormat(OutputFormat.JSON));
    }

    static String click(String eventId, String userId, String productId, String eventType, long time)
    {
        return """
                {"event_id":"%s","user_id":"%s","session_id":"sess_1","event_type":"%s","page_url":"/product/%s",\
                "product_id":"%s","timestamp":"%s","referrer":"google","device":"desktop","location":"US-CA"}"""
                .formatted(eventId, userId, eventType, productId, productId, Instant.ofEpochMilli(time));
    }

    static String profile(String userId, String tier, int totalOrders, double lifetimeValue, String... preferences)
    {
        return """
                {"user_id":"%s","email":"%s@example.com","subscription_tier":"%s","age_group":"25-34","location":"US-CA",\
                "preferences":%s,"signup_date":"2023-06-15","total_orders":%d,"lifetime_value":%s}"""
                .formatted(userId, userId, tier, array(preferences), totalOrders, lifetimeValue);
    }

    static String product(String productId, String category, double price)
    {
        return """
                {"product_id":"%s","name":"Laptop Pro 15\\"","category":"%s","subcategory":"laptops","brand":"TechCorp",\
                "price":%s,"rating":4.5,"tags":["tech","work","premium"],"in_stock":true}"""
                .formatted(productId, category, price);
    }

    static String history(String userId, String lastCategory, String frequency)
    {
        return """
                {"user_id":"%s","last_purchase_date":"2025-06-20T10:15:00Z","last_category":"%s","avg_order_value":245.5,\
                "purchase_frequency":"%s","favorite_brands":["TechCorp","HomeStyle"]}"""
                .formatted(userId, lastCategory, frequency);
    }

    static String array(String... values)
    {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : ",").append('"').append(values[i]).append('"');
        }
        return text.append(']').toString();
    }

    static JsonNode json(OutputRecord record)
    {
        try {
            return JSON.readTree(record.value());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode single(PipelineTestDriver driver)
    {
        List<OutputRecord> outputs = driver.readOutputs();
        if (outputs.size() != 1) {
            throw new AssertionError("expected exactly one output, got " + outputs.size() + ": "
                    + outputs.stream().map(OutputRecord::valueText).toList());
        }
        return json(outputs.get(0));
    }
}
