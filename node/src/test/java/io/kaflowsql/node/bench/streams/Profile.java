package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A {@code user_profiles} row (GlobalKTable value), with the columns the seed query reads. Numbers are
 * boxed: a missing field is SQL NULL, not zero. Immutable once bound (the list is Jackson's and not shared).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Profile(
        @JsonProperty("subscription_tier") String subscriptionTier,
        @JsonProperty("age_group") String ageGroup,
        @JsonProperty("location") String location,
        @JsonProperty("preferences") List<String> preferences,
        @JsonProperty("total_orders") Long totalOrders,
        @JsonProperty("lifetime_value") Double lifetimeValue)
{
}
