package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One {@code personalized_events} result: the seed query's 30 SELECT columns in SELECT order (Jackson writes
 * every column, NULLs as {@code null}, as the engine's JSON encoder does), and the three CASE columns
 * computed by {@link #of}. Immutable.
 */
@JsonPropertyOrder({"event_id", "user_id", "session_id", "event_type", "page_url", "timestamp", "device", "location",
        "product_id", "product_name", "product_category", "product_subcategory", "product_brand", "product_price", "product_rating", "product_tags",
        "user_subscription_tier", "user_age_group", "user_location", "user_preferences", "user_total_orders", "user_lifetime_value",
        "last_purchase_date", "last_purchase_category", "avg_order_value", "purchase_frequency", "favorite_brands",
        "category_affinity", "price_sensitivity", "personalization_tier"})
record PersonalizedEvent(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("event_type") String eventType,
        @JsonProperty("page_url") String pageUrl,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("device") String device,
        @JsonProperty("location") String location,
        @JsonProperty("product_id") String productId,
        @JsonProperty("product_name") String productName,
        @JsonProperty("product_category") String productCategory,
        @JsonProperty("product_subcategory") String productSubcategory,
        @JsonProperty("product_brand") String productBrand,
        @JsonProperty("product_price") Double productPrice,
        @JsonProperty("product_rating") Double productRating,
        @JsonProperty("product_tags") List<String> productTags,
        @JsonProperty("user_subscription_tier") String userSubscriptionTier,
        @JsonProperty("user_age_group") String userAgeGroup,
        @JsonProperty("user_location") String userLocation,
        @JsonProperty("user_preferences") List<String> userPreferences,
        @JsonProperty("user_total_orders") Long userTotalOrders,
        @JsonProperty("user_lifetime_value") Double userLifetimeValue,
        @JsonProperty("last_purchase_date") String lastPurchaseDate,
        @JsonProperty("last_purchase_category") String lastPurchaseCategory,
        @JsonProperty("avg_order_value") Double avgOrderValue,
        @JsonProperty("purchase_frequency") String purchaseFrequency,
        @JsonProperty("favorite_brands") List<String> favoriteBrands,
        @JsonProperty("category_affinity") double categoryAffinity,
        @JsonProperty("price_sensitivity") String priceSensitivity,
        @JsonProperty("personalization_tier") String personalizationTier)
{
    private static final Profile NO_PROFILE = new Profile(null, null, null, null, null, null);
    private static final Product NO_PRODUCT = new Product(null, null, null, null, null, null, null);
    private static final History NO_HISTORY = new History(null, null, null, null, null);

    /** The seed's {@code WHERE c.event_type IN ('page_view', 'add_to_cart', 'search')}. */
    static boolean kept(Click click)
    {
        String type = click.eventType();
        return "page_view".equals(type) || "add_to_cart".equals(type) || "search".equals(type);
    }

    /**
     * The SELECT list over the joined row. A LEFT JOIN miss reads as an all-NULL row; comparisons with NULL
     * are not true (SQL's three-valued logic), so a CASE branch that touches a NULL is skipped.
     */
    static PersonalizedEvent of(EnrichedClick row)
    {
        Click c = row.click();
        Profile u = row.profile() != null ? row.profile() : NO_PROFILE;
        Product p = row.product() != null ? row.product() : NO_PRODUCT;
        History h = row.history() != null ? row.history() : NO_HISTORY;
        boolean preferred = p.category() != null && u.preferences() != null && u.preferences().contains(p.category());
        return new PersonalizedEvent(c.eventId(), c.userId(), c.sessionId(), c.eventType(), c.pageUrl(), c.timestamp(), c.device(), c.location(),
                c.productId(), p.name(), p.category(), p.subcategory(), p.brand(), p.price(), p.rating(), p.tags(),
                u.subscriptionTier(), u.ageGroup(), u.location(), u.preferences(), u.totalOrders(), u.lifetimeValue(),
                h.lastPurchaseDate(), h.lastCategory(), h.avgOrderValue(), h.purchaseFrequency(), h.favoriteBrands(),
                categoryAffinity(preferred, p, h), priceSensitivity(u, p), personalizationTier(preferred, u, h));
    }

    private static double categoryAffinity(boolean preferred, Product p, History h)
    {
        if (preferred) {
            return 0.9;
        }
        if (p.category() != null && p.category().equals(h.lastCategory())) {
            return 0.8;
        }
        return 0.3;
    }

    private static String priceSensitivity(Profile u, Product p)
    {
        if (above(u.lifetimeValue(), 1000) && above(p.price(), 500)) {
            return "low";
        }
        if (above(u.lifetimeValue(), 500) && above(p.price(), 200)) {
            return "medium";
        }
        return "high";
    }

    private static String personalizationTier(boolean preferred, Profile u, History h)
    {
        if ("premium".equals(u.subscriptionTier()) && above(u.lifetimeValue(), 2000)) {
            return "high_value_premium";
        }
        if (u.totalOrders() != null && u.totalOrders() > 10 && preferred) {
            return "loyal_category_buyer";
        }
        if ("weekly".equals(h.purchaseFrequency())) {
            return "frequent_buyer";
        }
        return "standard";
    }

    private static boolean above(Double value, double bound)
    {
        return value != null && value > bound;
    }
}
