package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.HOUR;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.MINUTE;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.T0;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.click;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.history;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.json;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.product;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.profile;
import static io.kaflowsql.pipelines.personalization.SeedPipelineFixture.single;
import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests of the seed's personalization pipeline, run verbatim through the test driver. */
class PersonalizationGoldenTest
{
    @TempDir
    Path stateDir;

    private PipelineTestDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = new PipelineTestDriver(SeedPipelineFixture.seedPipeline(), stateDir);
    }

    @AfterEach
    void tearDown()
    {
        driver.close();
    }

    @Test
    void enrichesClickWithProfileProductAndHistoryExactlyAsTheSeedShows()
    {
        driver.pipe("user_profiles", "user_67890", profile("user_67890", "premium", 15, 2450.00, "electronics", "books", "home"), T0)
                .pipe("products", "prod_456", product("prod_456", "electronics", 1299.99), T0)
                .pipe("purchase_history", "user_67890", history("user_67890", "electronics", "monthly"), T0)
                .pipe("clickstreams", "user_67890", click("evt_12345", "user_67890", "prod_456", "page_view", T0), T0);

        List<OutputRecord> outputs = driver.readOutputs();
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).key()).isEqualTo("user_67890");
        assertThat(outputs.get(0).topic()).isEqualTo("personalized_events");
        assertThat(outputs.get(0).timestamp()).isEqualTo(T0);
        JsonNode event = json(outputs.get(0));
        assertThat(event.get("event_id").asText()).isEqualTo("evt_12345");
        assertThat(event.get("timestamp").asText()).isEqualTo("2025-07-05T14:30:00Z");
        assertThat(event.get("product_name").asText()).isEqualTo("Laptop Pro 15\"");
        assertThat(event.get("product_category").asText()).isEqualTo("electronics");
        assertThat(event.get("product_price").asDouble()).isEqualTo(1299.99);
        assertThat(event.get("product_rating").asDouble()).isEqualTo(4.5);
        assertThat(event.get("product_tags").toString()).isEqualTo("[\"tech\",\"work\",\"premium\"]");
        assertThat(event.get("user_subscription_tier").asText()).isEqualTo("premium");
        assertThat(event.get("user_lifetime_value").asDouble()).isEqualTo(2450.00);
        assertThat(event.get("user_preferences").toString()).isEqualTo("[\"electronics\",\"books\",\"home\"]");
        assertThat(event.get("last_purchase_category").asText()).isEqualTo("electronics");
        assertThat(event.get("avg_order_value").asDouble()).isEqualTo(245.5);
        assertThat(event.get("purchase_frequency").asText()).isEqualTo("monthly");
        assertThat(event.get("favorite_brands").toString()).isEqualTo("[\"TechCorp\",\"HomeStyle\"]");
        assertThat(event.get("category_affinity").asDouble()).isEqualTo(0.9);
        assertThat(event.get("price_sensitivity").asText()).isEqualTo("low");
        assertThat(event.get("personalization_tier").asText()).isEqualTo("high_value_premium");
        assertThat(fieldNames(event)).startsWith("event_id", "user_id", "session_id", "event_type", "page_url", "timestamp", "device", "location", "product_id")
                .endsWith("category_affinity", "price_sensitivity", "personalization_tier")
                .hasSize(30);
    }

    @Test
    void categoryAffinityCoversEveryBranch()
    {
        driver.pipe("products", "p_elec", product("p_elec", "electronics", 100.0), T0)
                .pipe("products", "p_book", product("p_book", "books", 100.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "basic", 1, 10.0, "electronics"), T0)
                .pipe("purchase_history", "u1", history("u1", "books", "monthly"), T0);

        driver.pipe("clickstreams", "u1", click("e1", "u1", "p_elec", "page_view", T0), T0);
        assertThat(single(driver).get("category_affinity").asDouble()).isEqualTo(0.9);

        driver.pipe("clickstreams", "u1", click("e2", "u1", "p_book", "page_view", T0), T0);
        assertThat(single(driver).get("category_affinity").asDouble()).isEqualTo(0.8);

        driver.pipe("user_profiles", "u2", profile("u2", "basic", 1, 10.0, "home"), T0)
                .pipe("clickstreams", "u2", click("e3", "u2", "p_book", "page_view", T0), T0);
        JsonNode noHistory = single(driver);
        assertThat(noHistory.get("category_affinity").asDouble()).isEqualTo(0.3);
        assertThat(noHistory.get("last_purchase_category").isNull()).isTrue();
    }

    @Test
    void priceSensitivityCoversEveryBranch()
    {
        driver.pipe("products", "p900", product("p900", "home", 900.0), T0)
                .pipe("products", "p300", product("p300", "home", 300.0), T0)
                .pipe("user_profiles", "rich", profile("rich", "basic", 1, 1500.0, "books"), T0)
                .pipe("user_profiles", "mid", profile("mid", "basic", 1, 600.0, "books"), T0);

        driver.pipe("clickstreams", "rich", click("e1", "rich", "p900", "search", T0), T0);
        assertThat(single(driver).get("price_sensitivity").asText()).isEqualTo("low");
        driver.pipe("clickstreams", "mid", click("e2", "mid", "p300", "search", T0), T0);
        assertThat(single(driver).get("price_sensitivity").asText()).isEqualTo("medium");
        driver.pipe("clickstreams", "mid", click("e3", "mid", "p900", "search", T0), T0);
        assertThat(single(driver).get("price_sensitivity").asText()).isEqualTo("medium");
        driver.pipe("clickstreams", "rich", click("e4", "rich", "p300", "search", T0), T0);
        assertThat(single(driver).get("price_sensitivity").asText()).isEqualTo("medium");
        driver.pipe("user_profiles", "poor", profile("poor", "basic", 1, 100.0, "books"), T0)
                .pipe("clickstreams", "poor", click("e5", "poor", "p900", "search", T0), T0);
        assertThat(single(driver).get("price_sensitivity").asText()).isEqualTo("high");
    }

    @Test
    void personalizationTierCoversEveryBranch()
    {
        driver.pipe("products", "p1", product("p1", "electronics", 50.0), T0)
                .pipe("user_profiles", "vip", profile("vip", "premium", 3, 2500.0, "books"), T0)
                .pipe("user_profiles", "loyal", profile("loyal", "basic", 11, 300.0, "electronics"), T0)
                .pipe("user_profiles", "weekly", profile("weekly", "premium", 2, 100.0, "books"), T0)
                .pipe("purchase_history", "weekly", history("weekly", "books", "weekly"), T0)
                .pipe("user_profiles", "plain", profile("plain", "free", 11, 100.0, "books"), T0);

        assertThat(tierOf("vip")).isEqualTo("high_value_premium");
        assertThat(tierOf("loyal")).isEqualTo("loyal_category_buyer");
        assertThat(tierOf("weekly")).isEqualTo("frequent_buyer");
        assertThat(tierOf("plain")).isEqualTo("standard");
    }

    private String tierOf(String user)
    {
        driver.pipe("clickstreams", user, click("e-" + user, user, "p1", "add_to_cart", T0), T0);
        return single(driver).get("personalization_tier").asText();
    }

    @Test
    void whereDropsEventTypesOutsideTheList()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0, "books"), T0)
                .pipe("clickstreams", "u1", click("e1", "u1", "p1", "purchase", T0), T0)
                .pipe("clickstreams", "u1", click("e2", "u1", "p1", "scroll", T0), T0)
                .pipe("clickstreams", "u1", click("e3", "u1", "p1", "search", T0), T0);

        List<OutputRecord> outputs = driver.readOutputs();
        assertThat(outputs).extracting(record -> json(record).get("event_id").asText()).containsExactly("e3");
        assertThat(driver.metrics().filteredOut()).isEqualTo(2);
    }

    @Test
    void missingPurchaseHistoryIsALeftJoinMissNotAHold()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0, "books"), T0)
                .pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);

        JsonNode event = single(driver);
        assertThat(event.get("purchase_frequency").isNull()).isTrue();
        assertThat(event.get("favorite_brands").isNull()).isTrue();
        assertThat(driver.metrics().hitRate(3)).isEqualTo(0.0);
        assertThat(driver.metrics().hitRate(1)).isEqualTo(1.0);
    }

    @Test
    void holdsEventUntilProfileArrivesThenEmitsIt()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);
        assertThat(driver.readOutputs()).isEmpty();
        assertThat(driver.metrics().heldCount()).isEqualTo(1);

        driver.pipe("user_profiles", "u1", profile("u1", "premium", 1, 1.0, "books"), T0 + MINUTE);

        JsonNode event = single(driver);
        assertThat(event.get("event_id").asText()).isEqualTo("e1");
        assertThat(event.get("user_subscription_tier").asText()).isEqualTo("premium");
        assertThat(driver.metrics().releasedCount()).isEqualTo(1);
    }

    @Test
    void holdsEventUntilProductArrivesAndSurvivesARestartMeanwhile()
    {
        driver.pipe("user_profiles", "u1", profile("u1", "premium", 1, 1.0, "books"), T0)
                .pipe("clickstreams", "u1", click("e1", "u1", "p9", "page_view", T0), T0)
                .restart()
                .pipe("products", "p9", product("p9", "toys", 20.0), T0 + MINUTE);

        assertThat(single(driver).get("product_category").asText()).isEqualTo("toys");
    }

    @Test
    void dropsHeldEventWhenItsTtlPassesAndCountsIt()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("clickstreams", "ghost", click("e1", "ghost", "p1", "page_view", T0), T0)
                .pipe("user_profiles", "u2", profile("u2", "free", 1, 1.0), T0)
                .pipe("clickstreams", "u2", click("e2", "u2", "p1", "page_view", T0 + HOUR + MINUTE), T0 + HOUR + MINUTE);

        assertThat(driver.readOutputs()).extracting(record -> json(record).get("event_id").asText()).containsExactly("e2");
        assertThat(driver.metrics().expiredDropped()).isEqualTo(1);

        driver.pipe("user_profiles", "ghost", profile("ghost", "free", 1, 1.0), T0 + HOUR + 2 * MINUTE);
        assertThat(driver.readOutputs()).isEmpty();
    }

    @Test
    void purchaseHistoryExpiresAfterItsTtlOfStreamTime()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0, "home"), T0)
                .pipe("purchase_history", "u1", history("u1", "books", "weekly"), T0);

        long withinTtl = T0 + 23 * HOUR;
        driver.pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", withinTtl), withinTtl);
        assertThat(single(driver).get("purchase_frequency").asText()).isEqualTo("weekly");

        long pastTtl = T0 + 25 * HOUR;
        driver.pipe("clickstreams", "u1", click("e2", "u1", "p1", "page_view", pastTtl), pastTtl);
        JsonNode expired = single(driver);
        assertThat(expired.get("purchase_frequency").isNull()).isTrue();
        assertThat(expired.get("category_affinity").asDouble()).isEqualTo(0.3);
    }

    @Test
    void dimensionUpdateReplacesTheRowAndTombstoneDeletesIt()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "premium", 1, 1.0), T0);
        driver.pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);
        assertThat(single(driver).get("user_subscription_tier").asText()).isEqualTo("premium");

        driver.pipe("user_profiles", "u1", (String) null, T0);
        driver.pipe("clickstreams", "u1", click("e2", "u1", "p1", "page_view", T0), T0);
        assertThat(driver.readOutputs()).isEmpty();
        assertThat(driver.metrics().heldCount()).isEqualTo(1);
    }

    @Test
    void eventTableUpdateReplacesTheRowAndTombstoneDeletesIt()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0), T0)
                .pipe("purchase_history", "u1", history("u1", "books", "weekly"), T0)
                .pipe("purchase_history", "u1", history("u1", "books", "rarely"), T0);
        driver.pipe("clickstreams", "u1", click("e1", "u1", "p1", "page_view", T0), T0);
        assertThat(single(driver).get("purchase_frequency").asText()).isEqualTo("rarely");

        driver.pipe("purchase_history", "u1", (String) null, T0);
        driver.pipe("clickstreams", "u1", click("e2", "u1", "p1", "page_view", T0), T0);
        assertThat(single(driver).get("purchase_frequency").isNull()).isTrue();
    }

    @Test
    void rejectsRecordsKeyedByAnotherColumnThanThePartitionKey()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0), T0)
                .pipe("clickstreams", "sess_1", click("e1", "u1", "p1", "page_view", T0), T0)
                .pipe("purchase_history", "someone_else", history("u1", "books", "weekly"), T0);

        assertThat(driver.readOutputs()).isEmpty();
        assertThat(driver.rejected()).extracting(PipelineTestDriver.Rejected::reason)
                .containsExactly(RejectReason.PARTITION_KEY_MISMATCH, RejectReason.PARTITION_KEY_MISMATCH);
    }

    @Test
    void undecodableRecordIsRejectedAndTheNextOneProcessed()
    {
        driver.pipe("products", "p1", product("p1", "books", 10.0), T0)
                .pipe("user_profiles", "u1", profile("u1", "free", 1, 1.0), T0)
                .pipe("clickstreams", "u1", "{\"event_id\": \"e1\", \"user_id\": ", T0)
                .pipe("clickstreams", "u1", click("e2", "u1", "p1", "page_view", T0), T0);

        assertThat(single(driver).get("event_id").asText()).isEqualTo("e2");
        assertThat(driver.rejected()).extracting(PipelineTestDriver.Rejected::reason).containsExactly(RejectReason.UNDECODABLE);
    }

    private static List<String> fieldNames(JsonNode node)
    {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
