package io.kaflowsql.pipelines.personalization;

import java.util.List;

/**
 * Topic names of the seed's personalization pipeline (seed/personalization.md, "Architecture").
 * Constants only; thread-safe.
 */
public final class PersonalizationTopics
{
    /** Driving stream: user interactions, keyed by {@code user_id}. */
    public static final String CLICKSTREAMS = "clickstreams";
    /** Dimension: user demographics and preferences, keyed by {@code user_id}. */
    public static final String USER_PROFILES = "user_profiles";
    /** Dimension: product catalog, keyed by {@code product_id}. */
    public static final String PRODUCTS = "products";
    /** Event table (24h TTL in the seed): purchase patterns, keyed by {@code user_id}. */
    public static final String PURCHASE_HISTORY = "purchase_history";
    /** Output of the pipeline, keyed by {@code user_id}. */
    public static final String PERSONALIZED_EVENTS = "personalized_events";

    /** Every input topic, driving stream first. */
    public static final List<String> INPUTS = List.of(CLICKSTREAMS, USER_PROFILES, PRODUCTS, PURCHASE_HISTORY);

    private PersonalizationTopics() {}
}
