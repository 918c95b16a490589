package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.internal.sql.TestFrames.column;
import static io.kaflowsql.engine.internal.sql.TestFrames.evaluate;
import static io.kaflowsql.engine.internal.sql.TestFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** The queries of the product spec (shared/seed/personalization.md), verbatim. */
class SeedQueriesTest
{
    static final String PERSONALIZATION = """
            SELECT\s
              c.event_id,
              c.user_id,
              c.session_id,
              c.event_type,
              c.page_url,
              c.timestamp,
              c.device,
              c.location,
             \s
              -- Product enrichment
              c.product_id,
              p.name as product_name,
              p.category as product_category,
              p.subcategory as product_subcategory,
              p.brand as product_brand,
              p.price as product_price,
              p.rating as product_rating,
              p.tags as product_tags,
             \s
              -- User profile data
              u.subscription_tier as user_subscription_tier,
              u.age_group as user_age_group,
              u.location as user_location,
              u.preferences as user_preferences,
              u.total_orders as user_total_orders,
              u.lifetime_value as user_lifetime_value,
             \s
              -- Purchase history
              h.last_purchase_date,
              h.last_category as last_purchase_category,
              h.avg_order_value,
              h.purchase_frequency,
              h.favorite_brands,
             \s
              -- Personalization signals
              CASE\s
                WHEN p.category = ANY(u.preferences) THEN 0.9
                WHEN p.category = h.last_category THEN 0.8
                ELSE 0.3
              END as category_affinity,
             \s
              CASE
                WHEN u.lifetime_value > 1000 AND p.price > 500 THEN 'low'
                WHEN u.lifetime_value > 500 AND p.price > 200 THEN 'medium'
                ELSE 'high'
              END as price_sensitivity,
             \s
              CASE
                WHEN u.subscription_tier = 'premium' AND u.lifetime_value > 2000 THEN 'high_value_premium'
                WHEN u.total_orders > 10 AND p.category = ANY(u.preferences) THEN 'loyal_category_buyer'
                WHEN h.purchase_frequency = 'weekly' THEN 'frequent_buyer'
                ELSE 'standard'
              END as personalization_tier
             \s
            FROM clickstreams c
            LEFT JOIN user_profiles u ON c.user_id = u.user_id
            LEFT JOIN products p ON c.product_id = p.product_id
            LEFT JOIN purchase_history h ON c.user_id = h.user_id
            WHERE c.event_type IN ('page_view', 'add_to_cart', 'search')
            """;

    static final String DYNAMIC_WEIGHTS = """
            SELECT *,
              -- Dynamic recommendation scoring
              (category_affinity * 0.4 +\s
               brand_preference * 0.3 +\s
               price_match * 0.2 +\s
               trending_factor * 0.1) as recommendation_score
            FROM enriched_events
            """;

    static final String AB_TESTING = """
            SELECT *,
              -- A/B test assignment
              CASE\s
                WHEN MOD(ABS(HASH(user_id)), 100) < 50 THEN 'control'
                ELSE 'treatment'
              END as ab_test_group
            FROM personalized_events
            """;

    static final String SEGMENTATION = """
            SELECT *,
              -- Dynamic user segmentation
              CASE
                WHEN user_lifetime_value > 5000 THEN 'vip'
                WHEN user_total_orders > 20 THEN 'loyal'
                WHEN days_since_signup < 30 THEN 'new'
                ELSE 'standard'
              END as user_segment
            FROM personalized_events
            """;

    static final String DATA_QUALITY = """
            SELECT *
            FROM personalized_events
            WHERE recommendation_score BETWEEN 0 AND 1
              AND category_affinity BETWEEN 0 AND 1
              AND user_lifetime_value >= 0
            """;

    private final QueryCompiler compiler = new QueryCompiler();

    @Test
    void personalizationQueryHasFourSourcesWithPushedDownColumns()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);

        assertThat(plan.sources()).extracting(SourcePlan::topic)
                .containsExactly("clickstreams", "user_profiles", "products", "purchase_history");
        assertThat(plan.sources()).extracting(SourcePlan::alias).containsExactly("c", "u", "p", "h");
        assertThat(plan.sources()).extracting(SourcePlan::keepAllColumns).containsOnly(false);
        assertThat(plan.sources().get(0).columns()).containsExactly(
                "event_id", "user_id", "session_id", "event_type", "page_url", "timestamp", "device", "location", "product_id");
        assertThat(plan.sources().get(1).columns()).containsExactly(
                "subscription_tier", "age_group", "location", "preferences", "total_orders", "lifetime_value", "user_id");
        assertThat(plan.sources().get(2).columns()).containsExactly(
                "name", "category", "subcategory", "brand", "price", "rating", "tags", "product_id");
        assertThat(plan.sources().get(3).columns()).containsExactly(
                "last_purchase_date", "last_category", "avg_order_value", "purchase_frequency", "favorite_brands", "user_id");
        assertThat(plan.driving().join()).isNull();
        assertThat(plan.whereSources()).containsExactly(0);
        assertThat(plan.where()).isNotNull();
    }

    @Test
    void personalizationJoinsLookUpByDrivingStreamColumns()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);

        assertThat(plan.sources().get(1).join().lookupKeySql()).isEqualTo("c.user_id");
        assertThat(plan.sources().get(1).join().keySourceIndex()).isEqualTo(0);
        assertThat(plan.sources().get(1).join().keyColumn()).isEqualTo("user_id");
        assertThat(plan.sources().get(1).join().joinColumn()).isEqualTo("user_id");
        assertThat(plan.sources().get(2).join().lookupKeySql()).isEqualTo("c.product_id");
        assertThat(plan.sources().get(2).join().joinColumn()).isEqualTo("product_id");
        assertThat(plan.sources().get(3).join().lookupKeySql()).isEqualTo("c.user_id");
        assertThat(plan.sources().get(3).join().joinColumn()).isEqualTo("user_id");

        Object[][] frame = frame(plan, Map.of("c", clickstream()));
        assertThat(plan.sources().get(1).join().lookupKey().evaluate(frame)).isEqualTo("user_67890");
        assertThat(plan.sources().get(2).join().lookupKey().evaluate(frame)).isEqualTo("prod_456");
    }

    @Test
    void personalizationOutputsAreNamedAndTyped()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);

        assertThat(plan.outputs()).allMatch(OutputItem.Column.class::isInstance);
        assertThat(plan.outputs()).extracting(item -> ((OutputItem.Column) item).name()).containsExactly(
                "event_id", "user_id", "session_id", "event_type", "page_url", "timestamp", "device", "location",
                "product_id", "product_name", "product_category", "product_subcategory", "product_brand", "product_price",
                "product_rating", "product_tags", "user_subscription_tier", "user_age_group", "user_location",
                "user_preferences", "user_total_orders", "user_lifetime_value", "last_purchase_date",
                "last_purchase_category", "avg_order_value", "purchase_frequency", "favorite_brands",
                "category_affinity", "price_sensitivity", "personalization_tier");
        assertThat(column(plan, "timestamp").type()).isEqualTo(SqlType.ANY);
        assertThat(column(plan, "timestamp").nullable()).isTrue();
        assertThat(column(plan, "timestamp").sql()).isEqualTo("c.timestamp");
        assertThat(column(plan, "category_affinity").type()).isEqualTo(SqlType.DOUBLE);
        assertThat(column(plan, "category_affinity").nullable()).isFalse();
        assertThat(column(plan, "price_sensitivity").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(column(plan, "price_sensitivity").nullable()).isFalse();
        assertThat(column(plan, "personalization_tier").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(plan.hasStar()).isFalse();
    }

    @Test
    void personalizationEvaluatesFullyEnrichedEvent()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);
        Object[][] frame = frame(plan, Map.of("c", clickstream(), "u", userProfile(), "p", product(), "h", purchaseHistory()));

        assertThat(plan.where().evaluate(frame)).isEqualTo(true);
        assertThat(evaluate(plan, "timestamp", frame)).isEqualTo("2025-07-05T14:30:00Z");
        assertThat(evaluate(plan, "product_name", frame)).isEqualTo("Laptop Pro 15\"");
        assertThat(evaluate(plan, "user_preferences", frame)).isEqualTo(List.of("electronics", "books", "home"));
        assertThat(evaluate(plan, "category_affinity", frame)).isEqualTo(0.9);
        assertThat(evaluate(plan, "price_sensitivity", frame)).isEqualTo("low");
        assertThat(evaluate(plan, "personalization_tier", frame)).isEqualTo("high_value_premium");
    }

    @Test
    void personalizationTreatsMissedLookupsAsNull()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);
        Object[][] frame = frame(plan, Map.of("c", clickstream(), "p", product()));

        assertThat(evaluate(plan, "user_subscription_tier", frame)).isNull();
        assertThat(evaluate(plan, "last_purchase_category", frame)).isNull();
        assertThat(evaluate(plan, "category_affinity", frame)).isEqualTo(0.3);
        assertThat(evaluate(plan, "price_sensitivity", frame)).isEqualTo("high");
        assertThat(evaluate(plan, "personalization_tier", frame)).isEqualTo("standard");
    }

    @Test
    void personalizationWhereDropsOtherEventTypes()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(PERSONALIZATION);
        Map<String, Object> click = new HashMap<>(clickstream());
        click.put("event_type", "purchase");

        assertThat(plan.where().evaluate(frame(plan, Map.of("c", click)))).isEqualTo(false);
        click.put("event_type", null);
        assertThat(plan.where().evaluate(frame(plan, Map.of("c", click)))).isNull();
    }

    @Test
    void dynamicWeightsSelectsStarThenScore()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(DYNAMIC_WEIGHTS);

        assertThat(plan.sources()).hasSize(1);
        assertThat(plan.driving().topic()).isEqualTo("enriched_events");
        assertThat(plan.driving().alias()).isEqualTo("enriched_events");
        assertThat(plan.driving().keepAllColumns()).isTrue();
        assertThat(plan.driving().columns()).containsExactly("category_affinity", "brand_preference", "price_match", "trending_factor");
        assertThat(plan.outputs().get(0)).isEqualTo(new OutputItem.AllColumns(0));
        assertThat(column(plan, "recommendation_score").type()).isEqualTo(SqlType.DOUBLE);
        assertThat(plan.hasStar()).isTrue();

        Object[][] frame = frame(plan, Map.of("enriched_events",
                Map.of("category_affinity", 0.9, "brand_preference", 1L, "price_match", 0.5, "trending_factor", 0L)));
        assertThat((Double) evaluate(plan, "recommendation_score", frame)).isCloseTo(0.36 + 0.3 + 0.1, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void abTestingAssignsStableGroupByHash()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(AB_TESTING);

        assertThat(plan.driving().columns()).containsExactly("user_id");
        assertThat(column(plan, "ab_test_group").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(column(plan, "ab_test_group").nullable()).isFalse();
        // murmur3_32("user_67890") decides the bucket; pinned so that groups never move
        long bucket = Math.floorMod(Math.abs((long) io.kaflowsql.engine.internal.expr.MurmurHash3.hash32("user_67890", 0)), 100);
        String expected = bucket < 50 ? "control" : "treatment";
        assertThat(evaluate(plan, "ab_test_group", frame(plan, Map.of("personalized_events", Map.of("user_id", "user_67890")))))
                .isEqualTo(expected);
        Map<String, Object> noUser = new HashMap<>();
        noUser.put("user_id", null);
        assertThat(evaluate(plan, "ab_test_group", frame(plan, Map.of("personalized_events", noUser)))).isEqualTo("treatment");
    }

    @Test
    void segmentationPicksFirstMatchingSegment()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(SEGMENTATION);

        assertThat(plan.driving().columns()).containsExactly("user_lifetime_value", "user_total_orders", "days_since_signup");
        assertThat(evaluate(plan, "user_segment", frame(plan, Map.of("personalized_events",
                Map.of("user_lifetime_value", 6000.0, "user_total_orders", 1L, "days_since_signup", 400L))))).isEqualTo("vip");
        assertThat(evaluate(plan, "user_segment", frame(plan, Map.of("personalized_events",
                Map.of("user_lifetime_value", 10.0, "user_total_orders", 1L, "days_since_signup", 3L))))).isEqualTo("new");
        assertThat(evaluate(plan, "user_segment", frame(plan, Map.of("personalized_events", Map.of())))).isEqualTo("standard");
    }

    @Test
    void dataQualityFiltersWithBetween()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile(DATA_QUALITY);

        assertThat(plan.outputs()).containsExactly(new OutputItem.AllColumns(0));
        assertThat(plan.driving().keepAllColumns()).isTrue();
        assertThat(plan.driving().columns()).containsExactly("recommendation_score", "category_affinity", "user_lifetime_value");
        assertThat(plan.whereSources()).containsExactly(0);
        assertThat(plan.where().evaluate(frame(plan, Map.of("personalized_events",
                Map.of("recommendation_score", 0.5, "category_affinity", 1L, "user_lifetime_value", 0.0))))).isEqualTo(true);
        assertThat(plan.where().evaluate(frame(plan, Map.of("personalized_events",
                Map.of("recommendation_score", 1.5, "category_affinity", 1L, "user_lifetime_value", 0.0))))).isEqualTo(false);
        assertThat(plan.where().evaluate(frame(plan, Map.of("personalized_events",
                Map.of("category_affinity", 1L, "user_lifetime_value", 0.0))))).isNull();
    }

    static Map<String, Object> clickstream()
    {
        Map<String, Object> row = new HashMap<>();
        row.put("event_id", "evt_12345");
        row.put("user_id", "user_67890");
        row.put("session_id", "sess_abc123");
        row.put("event_type", "page_view");
        row.put("page_url", "/product/electronics/laptop-pro");
        row.put("product_id", "prod_456");
        row.put("timestamp", "2025-07-05T14:30:00Z");
        row.put("referrer", "google");
        row.put("device", "desktop");
        row.put("location", "US-CA");
        return row;
    }

    static Map<String, Object> userProfile()
    {
        return Map.of("user_id", "user_67890", "subscription_tier", "premium", "age_group", "25-34", "location", "US-CA",
                "preferences", List.of("electronics", "books", "home"), "total_orders", 15L, "lifetime_value", 2450.00);
    }

    static Map<String, Object> product()
    {
        return Map.of("product_id", "prod_456", "name", "Laptop Pro 15\"", "category", "electronics", "subcategory", "laptops",
                "brand", "TechCorp", "price", 1299.99, "rating", 4.5, "tags", List.of("tech", "work", "premium"));
    }

    static Map<String, Object> purchaseHistory()
    {
        return Map.of("user_id", "user_67890", "last_purchase_date", "2025-06-20T10:15:00Z", "last_category", "electronics",
                "avg_order_value", 245.50, "purchase_frequency", "monthly", "favorite_brands", List.of("TechCorp", "HomeStyle"));
    }
}
