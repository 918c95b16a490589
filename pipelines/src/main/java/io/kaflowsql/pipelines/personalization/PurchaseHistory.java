package io.kaflowsql.pipelines.personalization;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A {@code purchase_history} row, field for field as in the seed spec's "Data Schema". Immutable.
 *
 * @param lastPurchaseDate an ISO-8601 instant ({@code 2025-06-20T10:15:00Z})
 * @param avgOrderValue rounded to cents
 * @param purchaseFrequency {@code weekly}, {@code monthly}, {@code quarterly} or {@code rarely}
 */
public record PurchaseHistory(
        String userId,
        String lastPurchaseDate,
        String lastCategory,
        double avgOrderValue,
        String purchaseFrequency,
        List<String> favoriteBrands)
{
    public PurchaseHistory
    {
        requireNonNull(userId, "userId is null");
        requireNonNull(lastPurchaseDate, "lastPurchaseDate is null");
        requireNonNull(lastCategory, "lastCategory is null");
        requireNonNull(purchaseFrequency, "purchaseFrequency is null");
        favoriteBrands = List.copyOf(requireNonNull(favoriteBrands, "favoriteBrands is null"));
    }

    public String toJson()
    {
        return new JsonObjectWriter()
                .field("user_id", userId)
                .field("last_purchase_date", lastPurchaseDate)
                .field("last_category", lastCategory)
                .field("avg_order_value", avgOrderValue)
                .field("purchase_frequency", purchaseFrequency)
                .field("favorite_brands", favoriteBrands)
                .finish();
    }

    public GeneratedRecord toRecord(long timestampMillis)
    {
        return new GeneratedRecord(PersonalizationTopics.PURCHASE_HISTORY, userId, toJson(), timestampMillis);
    }
}
