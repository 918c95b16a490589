package io.kaflowsql.pipelines.personalization;

import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.T0;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.click;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.json;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.product;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.profile;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smart emission across a task's restart or move: a dimension row that arrives while no node has the task open
 * releases nothing at that moment, so the task rechecks what it holds when it opens again.
 */
class HeldRecordsRecheckTest
{
    @TempDir
    Path stateDir;

    @Test
    void aRecordHeldForAProfileThatArrivedWhileTheTaskWasClosedIsEmittedWhenItOpens()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(SeedPipelineFixture.seedPipeline(), stateDir)) {
            driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                    .pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);
            assertThat(driver.readOutputs()).as("held: no profile of u1 yet").isEmpty();

            driver.restart(() -> driver.pipe("user_profiles", "u1", profile("u1", "gold", 3, 120.0, "books"), T0 + 1));

            List<OutputRecord> outputs = driver.readOutputs();
            assertThat(outputs).hasSize(1);
            assertThat(json(outputs.get(0)).get("event_id").asText()).isEqualTo("e1");
            assertThat(json(outputs.get(0)).get("user_subscription_tier").asText()).isEqualTo("gold");
            assertThat(driver.metrics().releasedCount()).isEqualTo(1);
        }
    }

    @Test
    void theRecheckCoversEveryPageOfHeldRecordsAndKeepsTheIncompleteOnesHeld()
    {
        int completed = 120;
        try (PipelineTestDriver driver = new PipelineTestDriver(SeedPipelineFixture.seedPipeline(), stateDir)) {
            driver.pipe("products", "p1", product("p1", "books", 10.0), T0);
            for (int i = 0; i < completed; i++) {
                driver.pipe("clickstreams", "u" + i, click("e" + i, "u" + i, "p1", "page_view", T0 + i), T0 + i);
            }
            driver.pipe("clickstreams", "ghost", click("never", "ghost", "p1", "page_view", T0 + completed), T0 + completed);
            assertThat(driver.readOutputs()).isEmpty();

            driver.restart(() -> {
                for (int i = 0; i < completed; i++) {
                    driver.pipe("user_profiles", "u" + i, profile("u" + i, "free", 1, 10.0), T0);
                }
            });

            List<String> emitted = new ArrayList<>();
            driver.readOutputs().forEach(record -> emitted.add(json(record).get("event_id").asText()));
            assertThat(emitted).hasSize(completed).doesNotHaveDuplicates().doesNotContain("never");
            assertThat(driver.metrics().heldCount() - driver.metrics().releasedCount()).as("still held").isEqualTo(1);

            driver.pipe("user_profiles", "ghost", profile("ghost", "free", 1, 10.0), T0);
            assertThat(driver.readOutputs()).singleElement().satisfies(record -> assertThat(json(record).get("event_id").asText()).isEqualTo("never"));
        }
    }
}
