package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assumption the chaos checker rests on: every click of a {@link ChaosTraffic} is complete on arrival, so exactly
 * the clicks passing WHERE are emitted, none held back, whatever the order of processing.
 */
class ExpectedEnrichmentTest
{
    private static final Set<String> KEPT_EVENT_TYPES = Set.of("page_view", "add_to_cart", "search");

    @Test
    void everyClickPassingWhereIsEmittedFullyEnriched(@TempDir Path dir)
    {
        ChaosTraffic data = ChaosTraffic.generate(42, 500, 0);

        Map<String, JsonNode> expected = ExpectedEnrichment.compute(
                new PipelineLoader().load(CrashScenario.SEED_PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON)), data, dir);

        List<String> kept = data.live().stream()
                .map(click -> OutputValues.parse(click.json()))
                .filter(click -> KEPT_EVENT_TYPES.contains(click.get("event_type").asText()))
                .map(OutputValues::eventId)
                .toList();
        assertThat(kept.size()).isBetween(400, 499);
        assertThat(expected.keySet()).containsExactlyElementsOf(kept);
        assertThat(expected.values()).allSatisfy(value -> {
            assertThat(value.get("user_subscription_tier").isTextual()).isTrue();
            assertThat(value.get("product_category").isTextual()).isTrue();
        });
        assertThat(expected.values()).anySatisfy(value -> assertThat(value.get("avg_order_value").isNull()).isFalse());
    }

    @Test
    void joinedRowsPrecedeEveryClickInEventTime()
    {
        ChaosTraffic data = ChaosTraffic.generate(42, 100, 0);

        long lastJoined = data.initialRows().stream().mapToLong(GeneratedRecord::timestampMillis).max().orElseThrow();
        assertThat(data.live()).allSatisfy(click -> {
            assertThat(click.topic()).isEqualTo(PersonalizationTopics.CLICKSTREAMS);
            assertThat(click.timestampMillis()).isGreaterThan(lastJoined);
        });
    }
}
