package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's personalization query written out by hand, for the chaos checker: which clicks pass WHERE, which output
 * column comes from which column of which source, and the three CASE columns. It knows nothing of the engine (no
 * parser, no plan, no evaluator), so a wrong enrichment cannot be explained away by sharing a bug with it.
 *
 * <p>SQL's rules as the seed relies on them: a LEFT JOIN miss reads as an all-NULL row, and a comparison that
 * touches NULL is not true, so the CASE branch is skipped. Values are compared as JSON values: numbers by value (an
 * integer 15 equals 15.0), arrays element by element, strings exactly.
 *
 * <p>Stateless; thread-safe.
 */
final class SeedEnrichment
{
    static final Set<String> KEPT_EVENT_TYPES = Set.of("page_view", "add_to_cart", "search");
    /** Output column = click column of the same name. */
    static final List<String> CLICK_COLUMNS = List.of("event_id", "user_id", "session_id", "event_type", "page_url", "timestamp", "device",
            "location", "product_id");
    /** Output column -> {@code products} column. */
    static final Map<String, String> PRODUCT_COLUMNS = columns("product_name", "name", "product_category", "category",
            "product_subcategory", "subcategory", "product_brand", "brand", "product_price", "price", "product_rating", "rating",
            "product_tags", "tags");
    /** Output column -> {@code user_profiles} column. */
    static final Map<String, String> USER_COLUMNS = columns("user_subscription_tier", "subscription_tier", "user_age_group", "age_group",
            "user_location", "location", "user_preferences", "preferences", "user_total_orders", "total_orders",
            "user_lifetime_value", "lifetime_value");
    /** Output column -> {@code purchase_history} column. */
    static final Map<String, String> HISTORY_COLUMNS = columns("last_purchase_date", "last_purchase_date", "last_purchase_category",
            "last_category", "avg_order_value", "avg_order_value", "purchase_frequency", "purchase_frequency", "favorite_brands",
            "favorite_brands");
    static final List<String> COMPUTED_COLUMNS = List.of("category_affinity", "price_sensitivity", "personalization_tier");

    private SeedEnrichment() {}

    /** {@code WHERE c.event_type IN ('page_view', 'add_to_cart', 'search')}. */
    static boolean passesWhere(JsonNode click)
    {
        JsonNode type = click.get("event_type");
        return type != null && type.isTextual() && KEPT_EVENT_TYPES.contains(type.asText());
    }

    /** The 30 columns of a result, in SELECT order. */
    static Set<String> outputColumns()
    {
        Set<String> columns = new LinkedHashSet<>(CLICK_COLUMNS);
        columns.addAll(PRODUCT_COLUMNS.keySet());
        columns.addAll(USER_COLUMNS.keySet());
        columns.addAll(HISTORY_COLUMNS.keySet());
        columns.addAll(COMPUTED_COLUMNS);
        return columns;
    }

    /**
     * Whether the output's columns of one source equal that source row's columns; a null row (a LEFT JOIN miss)
     * matches only all-NULL columns.
     */
    static boolean matches(JsonNode output, Map<String, String> columns, JsonNode row)
    {
        for (Map.Entry<String, String> column : columns.entrySet()) {
            JsonNode expected = row == null ? null : row.get(column.getValue());
            if (!sameValue(output.get(column.getKey()), expected)) {
                return false;
            }
        }
        return true;
    }

    /** The first column whose value differs from the click's, or null when all agree. */
    static String clickMismatch(JsonNode output, JsonNode click)
    {
        return CLICK_COLUMNS.stream().filter(column -> !sameValue(output.get(column), click.get(column))).findFirst().orElse(null);
    }

    /** The CASE columns as the seed defines them, computed from the output's own joined columns. */
    static Map<String, Object> computed(JsonNode output)
    {
        String category = text(output, "product_category");
        boolean preferred = category != null && contains(output.get("user_preferences"), category);
        Double lifetimeValue = number(output, "user_lifetime_value");
        Double price = number(output, "product_price");
        Double orders = number(output, "user_total_orders");
        double affinity = preferred ? 0.9 : category != null && category.equals(text(output, "last_purchase_category")) ? 0.8 : 0.3;
        String sensitivity = above(lifetimeValue, 1000) && above(price, 500) ? "low"
                : above(lifetimeValue, 500) && above(price, 200) ? "medium" : "high";
        String tier;
        if ("premium".equals(text(output, "user_subscription_tier")) && above(lifetimeValue, 2000)) {
            tier = "high_value_premium";
        }
        else if (above(orders, 10) && preferred) {
            tier = "loyal_category_buyer";
        }
        else if ("weekly".equals(text(output, "purchase_frequency"))) {
            tier = "frequent_buyer";
        }
        else {
            tier = "standard";
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("category_affinity", affinity);
        values.put("price_sensitivity", sensitivity);
        values.put("personalization_tier", tier);
        return values;
    }

    /** The first CASE column whose value differs from the seed's definition, or null when all agree. */
    static String computedMismatch(JsonNode output)
    {
        for (Map.Entry<String, Object> column : computed(output).entrySet()) {
            JsonNode actual = output.get(column.getKey());
            boolean same = column.getValue() instanceof Double number
                    ? actual != null && actual.isNumber() && actual.doubleValue() == number
                    : actual != null && actual.isTextual() && actual.asText().equals(column.getValue());
            if (!same) {
                return column.getKey() + " is " + actual + ", the seed's CASE gives " + column.getValue();
            }
        }
        return null;
    }

    /** JSON value equality as SQL sees it: missing = null, numbers by value, arrays element by element. */
    static boolean sameValue(JsonNode a, JsonNode b)
    {
        boolean aNull = a == null || a.isNull() || a.isMissingNode();
        boolean bNull = b == null || b.isNull() || b.isMissingNode();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean contains(JsonNode array, String text)
    {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (Iterator<JsonNode> items = array.elements(); items.hasNext(); ) {
            JsonNode item = items.next();
            if (item.isTextual() && item.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode output, String column)
    {
        JsonNode value = output.get(column);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Double number(JsonNode output, String column)
    {
        JsonNode value = output.get(column);
        return value == null || !value.isNumber() ? null : value.doubleValue();
    }

    private static boolean above(Double value, double bound)
    {
        return value != null && value > bound;
    }

    private static Map<String, String> columns(String... pairs)
    {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(columns);
    }
}
