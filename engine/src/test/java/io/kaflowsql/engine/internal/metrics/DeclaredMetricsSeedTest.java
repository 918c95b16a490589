package io.kaflowsql.engine.internal.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed pipeline's declared metrics, fed with the results the pipeline really emits (decoded back from
 * its JSON output, since the runtime wiring of the observer lives elsewhere), as the product spec greps them.
 */
class DeclaredMetricsSeedTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_751_725_800_000L;

    @TempDir
    Path stateDir;

    @Test
    void seedPipelineExportsTheMetricsTheProductSpecGreps()
            throws IOException
    {
        CompiledPipeline seed = new PipelineLoader().load(SEED, definition -> definition.withOutputFormat(OutputFormat.JSON));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OutputObserver observer = DeclaredMetrics.register(seed, registry);
        List<OutputRecord> outputs;
        try (PipelineTestDriver driver = new PipelineTestDriver(seed, stateDir)) {
            driver.pipe("products", "p1", "{\"product_id\":\"p1\",\"category\":\"electronics\",\"price\":999.0}", T0)
                    .pipe("user_profiles", "u1", profile("u1", "premium", 2500.0, "electronics"), T0)
                    .pipe("user_profiles", "u2", profile("u2", "basic", 100.0, "books"), T0)
                    .pipe("clickstreams", "u1", click("e1", "u1"), T0)
                    .pipe("clickstreams", "u2", click("e2", "u2"), T0)
                    .pipe("clickstreams", "u1", click("e3", "u1"), T0);
            outputs = driver.readOutputs();
        }
        assertThat(outputs).hasSize(3);
        for (OutputRecord output : outputs) {
            observer.observe(values(seed, JSON.readTree(output.value())));
        }

        String scrape = registry.scrape();
        assertThat(scrape).contains("personalization_score_avg{personalization_tier=\"high_value_premium\",pipeline=\"personalization_engine\"} 0.9")
                .contains("personalization_score_avg{personalization_tier=\"standard\",pipeline=\"personalization_engine\"} 0.3")
                .contains("personalization_score_avg_samples_total{personalization_tier=\"high_value_premium\",pipeline=\"personalization_engine\"} 2.0")
                .contains("category_affinity_histogram_seconds_bucket{pipeline=\"personalization_engine\",le=\"0.3\"} 1")
                .contains("category_affinity_histogram_seconds_bucket{pipeline=\"personalization_engine\",le=\"0.8\"} 1")
                .contains("category_affinity_histogram_seconds_bucket{pipeline=\"personalization_engine\",le=\"0.9\"} 3")
                .contains("category_affinity_histogram_seconds_count{pipeline=\"personalization_engine\"} 3")
                .contains("personalized_events_by_tier_total{personalization_tier=\"high_value_premium\",pipeline=\"personalization_engine\"} 2.0")
                .contains("personalized_events_by_tier_total{personalization_tier=\"standard\",pipeline=\"personalization_engine\"} 1.0");
    }

    private static Object[] values(CompiledPipeline pipeline, JsonNode event)
    {
        List<OutputItem> outputs = pipeline.plan().outputs();
        Object[] values = new Object[outputs.size()];
        for (int i = 0; i < values.length; i++) {
            if (outputs.get(i) instanceof OutputItem.Column column) {
                JsonNode value = event.get(column.name());
                values[i] = value == null || value.isNull() ? null : value.isNumber() ? value.numberValue() : value.asText();
            }
        }
        return values;
    }

    private static String profile(String userId, String tier, double lifetimeValue, String preference)
    {
        return """
                {"user_id":"%s","subscription_tier":"%s","age_group":"25-34","preferences":["%s"],"total_orders":3,"lifetime_value":%s}"""
                .formatted(userId, tier, preference, lifetimeValue);
    }

    private static String click(String eventId, String userId)
    {
        return """
                {"event_id":"%s","user_id":"%s","session_id":"s1","event_type":"page_view","product_id":"p1"}"""
                .formatted(eventId, userId);
    }
}
