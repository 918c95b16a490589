package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test driver with a registry runs the seed pipeline as written ({@code format: avro}) on mixed input
 * (clicks and profiles in Avro, the rest JSON) and yields the same events as the all-JSON run.
 */
class AvroPipelineDriverTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void avroInAndOutGivesTheSameEventsAsJson(@TempDir Path jsonState, @TempDir Path avroState)
            throws IOException
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(120).withProducts(60));
        List<GeneratedRecord> input = new ArrayList<>();
        input.addAll(dataset.userProfiles());
        input.addAll(dataset.products());
        input.addAll(dataset.purchaseHistory());
        for (int i = 0; i < 600; i++) {
            input.add(dataset.nextClick(GeneratorSettings.DEFAULT_START_EPOCH_MILLIS + i * 10L));
        }
        CompiledPipeline seed = new PipelineLoader().load(SeedPipelineFixture.PIPELINE);
        assertThat(seed.definition().output().format()).isEqualTo(OutputFormat.AVRO);

        Map<String, JsonNode> expected = new HashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(seed, jsonState)) {
            input.forEach(record -> driver.pipe(record.topic(), record.key(), record.json(), record.timestampMillis()));
            for (OutputRecord output : driver.readOutputs()) {
                JsonNode event = JSON.readTree(output.value());
                expected.put(event.get("event_id").asText(), event);
            }
        }

        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES));
        Map<String, GenericRecord> actual = new HashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(seed, avroState, InputLimits.DEFAULTS, Optional.of(registry))) {
            input.forEach(record -> driver.pipe(record.topic(), record.key().getBytes(StandardCharsets.UTF_8), encoding.encode(record),
                    record.timestampMillis()));
            assertThat(driver.rejected()).isEmpty();
            for (OutputRecord output : driver.readOutputs()) {
                ByteBuffer header = ByteBuffer.wrap(output.value());
                assertThat(header.get()).isZero();
                GenericRecord event = TestAvroValueEncoding.decode(output.value(), registry.schemaById(header.getInt()));
                actual.put(event.get("event_id").toString(), event);
            }
        }

        assertThat(expected).hasSizeGreaterThan(300);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        assertThat(registry.idsOf("personalized_events-value")).hasSize(1);
        actual.forEach((eventId, event) -> {
            JsonNode json = expected.get(eventId);
            assertThat(Instant.ofEpochMilli((Long) event.get("timestamp"))).isEqualTo(Instant.parse(json.get("timestamp").asText()));
            assertThat(event.get("category_affinity")).isEqualTo(json.get("category_affinity").asDouble());
            assertThat(String.valueOf(event.get("personalization_tier"))).isEqualTo(json.get("personalization_tier").asText());
            assertThat(String.valueOf(event.get("user_subscription_tier"))).isEqualTo(json.get("user_subscription_tier").asText());
            assertThat(event.get("user_total_orders")).isEqualTo(json.get("user_total_orders").asLong());
            assertThat(String.valueOf(event.get("product_category"))).isEqualTo(json.get("product_category").asText());
        });
    }
}
