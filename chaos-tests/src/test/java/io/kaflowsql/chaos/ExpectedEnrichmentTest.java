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
 * The assumption that makes the crash-free reference valid for a partitioned, restarted node: every
 * click is complete on arrival, so exactly the clicks passing WHERE are emitted, none held back.
 */
class ExpectedEnrichmentTest
{
    private static final Set<String> KEPT_EVENT_TYPES = Set.of("page_view", "add_to_cart", "search");

    @Test
    void everyClickPassingWhereIsEmittedFullyEnriched(@TempDir Path dir)
    {
        CrashTestData data = CrashTestData.generate(500, 42);

        Map<String, JsonNode> expected = ExpectedEnrichment.compute(
                new PipelineLoader().load(CrashScenario.SEED_PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON)), data, dir);

        List<String> kept = data.clicks().stream()
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
        CrashTestData data = CrashTestData.generate(100, 42);

        long lastJoined = data.joinedRows().stream().mapToLong(GeneratedRecord::timestampMillis).max().orElseThrow();
        assertThat(data.clicks()).allSatisfy(click -> {
            assertThat(click.topic()).isEqualTo(PersonalizationTopics.CLICKSTREAMS);
            assertThat(click.timestampMillis()).isGreaterThan(lastJoined);
        });
    }
}
