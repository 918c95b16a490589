package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.T0;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.json;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.single;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's "Advanced Features" and "Data Quality Validation" queries, verbatim in
 * {@code pipelines/personalization/advanced/}, as single-source pipelines over an enriched topic.
 */
class AdvancedPipelinesTest
{
    private static final String ENRICHED = """
            {"event_id":"evt_1","user_id":"user_67890","category_affinity":0.9,"brand_preference":0.5,"price_match":1.0,\
            "trending_factor":0.2,"user_lifetime_value":6000.0,"user_total_orders":5,"days_since_signup":400,"recommendation_score":0.73}""";

    @TempDir
    Path stateDir;

    private static CompiledPipeline load(String file)
    {
        return new PipelineLoader().load(Path.of("personalization/advanced/" + file));
    }

    @Test
    void recommendationScoreKeepsEveryFieldAndAddsTheWeightedScore()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(load("recommendation-score.yaml"), stateDir)) {
            driver.pipe("enriched_events", "user_67890", ENRICHED, T0);

            JsonNode event = single(driver);
            assertThat(event.get("event_id").asText()).isEqualTo("evt_1");
            assertThat(event.get("trending_factor").asDouble()).isEqualTo(0.2);
            assertThat(event.get("recommendation_score").asDouble()).isCloseTo(0.9 * 0.4 + 0.5 * 0.3 + 1.0 * 0.2 + 0.2 * 0.1, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void abTestGroupIsAStableHashBucketOfTheUser()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(load("ab-testing.yaml"), stateDir)) {
            int control = 0;
            for (int i = 0; i < 1_000; i++) {
                String user = "user_" + i;
                driver.pipe("personalized_events", user, "{\"user_id\":\"" + user + "\"}", T0);
                String group = single(driver).get("ab_test_group").asText();
                assertThat(group).isIn("control", "treatment");
                control += group.equals("control") ? 1 : 0;
            }
            assertThat(control).isBetween(430, 570);
            driver.pipe("personalized_events", "user_1", "{\"user_id\":\"user_1\"}", T0);
            driver.pipe("personalized_events", "user_1", "{\"user_id\":\"user_1\"}", T0);
            var outputs = driver.readOutputs();
            assertThat(json(outputs.get(0)).get("ab_test_group")).isEqualTo(json(outputs.get(1)).get("ab_test_group"));
        }
    }

    @Test
    void segmentationFollowsTheCaseOrder()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(load("segmentation.yaml"), stateDir)) {
            driver.pipe("personalized_events", "u", ENRICHED, T0);
            assertThat(single(driver).get("user_segment").asText()).isEqualTo("vip");
            driver.pipe("personalized_events", "u", "{\"user_id\":\"u\",\"user_lifetime_value\":10,\"user_total_orders\":25}", T0);
            assertThat(single(driver).get("user_segment").asText()).isEqualTo("loyal");
            driver.pipe("personalized_events", "u", "{\"user_id\":\"u\",\"user_lifetime_value\":10,\"days_since_signup\":3}", T0);
            assertThat(single(driver).get("user_segment").asText()).isEqualTo("new");
            driver.pipe("personalized_events", "u", "{\"user_id\":\"u\"}", T0);
            assertThat(single(driver).get("user_segment").asText()).isEqualTo("standard");
        }
    }

    @Test
    void dataQualityPassesOnlyRecordsWithScoresInRange()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(load("data-quality.yaml"), stateDir)) {
            driver.pipe("personalized_events", "u", ENRICHED, T0);
            driver.pipe("personalized_events", "u", ENRICHED.replace("\"recommendation_score\":0.73", "\"recommendation_score\":1.5"), T0);
            driver.pipe("personalized_events", "u", ENRICHED.replace("\"user_lifetime_value\":6000.0", "\"user_lifetime_value\":-1"), T0);
            driver.pipe("personalized_events", "u", ENRICHED.replace(",\"recommendation_score\":0.73", ""), T0);

            assertThat(driver.readOutputs()).hasSize(1);
            assertThat(driver.metrics().filteredOut()).isEqualTo(3);
        }
    }
}
