package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A {@code purchase_history} row (KTable value, keyed by user id), with the columns the seed query reads. Immutable once bound. */
@JsonIgnoreProperties(ignoreUnknown = true)
record History(
        @JsonProperty("last_purchase_date") String lastPurchaseDate,
        @JsonProperty("last_category") String lastCategory,
        @JsonProperty("avg_order_value") Double avgOrderValue,
        @JsonProperty("purchase_frequency") String purchaseFrequency,
        @JsonProperty("favorite_brands") List<String> favoriteBrands)
{
}
