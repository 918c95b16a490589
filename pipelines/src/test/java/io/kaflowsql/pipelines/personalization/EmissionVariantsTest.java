package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.HOUR;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.MINUTE;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.T0;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.click;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.json;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.product;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.single;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed pipeline with its emission section changed: immediate, and smart with on_timeout: emit. */
class EmissionVariantsTest
{
    @TempDir
    Path stateDir;

    private static String seedWithEmission(String emission)
    {
        String seed = SeedPipelineFixture.seedText();
        int start = seed.indexOf("emission:");
        int end = seed.indexOf("state:");
        return seed.substring(0, start) + emission + "\n" + seed.substring(end);
    }

    @Test
    void immediateEmissionEmitsAtOnceWithNullsForMissedLookups()
    {
        try (PipelineTestDriver driver = new PipelineTestDriver(SeedPipelineFixture.pipeline(seedWithEmission("emission:\n  type: immediate\n")), stateDir)) {
            driver.pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);

            JsonNode event = single(driver);
            assertThat(event.get("event_id").asText()).isEqualTo("e1");
            assertThat(event.get("user_subscription_tier").isNull()).isTrue();
            assertThat(event.get("product_category").isNull()).isTrue();
            assertThat(event.get("category_affinity").asDouble()).isEqualTo(0.3);
            assertThat(event.get("price_sensitivity").asText()).isEqualTo("high");
            assertThat(event.get("personalization_tier").asText()).isEqualTo("standard");
            assertThat(driver.metrics().heldCount()).isZero();
        }
    }

    @Test
    void smartEmissionWithEmitOnTimeoutEmitsThePartialRecordWhenTtlPasses()
    {
        String pipeline = seedWithEmission("emission:\n  type: smart\n  require: [user_subscription_tier, product_category]\n  on_timeout: emit\n");
        try (PipelineTestDriver driver = new PipelineTestDriver(SeedPipelineFixture.pipeline(pipeline), stateDir)) {
            driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                    .pipe("clickstreams", "ghost", click("e1", "ghost", "p1", "page_view", T0), T0);
            assertThat(driver.readOutputs()).isEmpty();

            long later = T0 + HOUR + MINUTE;
            driver.pipe("clickstreams", "other", click("e2", "other", "p1", "purchase", later), later);

            var outputs = driver.readOutputs();
            assertThat(outputs).hasSize(1);
            JsonNode partial = json(outputs.get(0));
            assertThat(partial.get("event_id").asText()).isEqualTo("e1");
            assertThat(partial.get("product_category").asText()).isEqualTo("books");
            assertThat(partial.get("user_subscription_tier").isNull()).isTrue();
            assertThat(driver.metrics().expiredEmitted()).isEqualTo(1);
        }
    }
}
