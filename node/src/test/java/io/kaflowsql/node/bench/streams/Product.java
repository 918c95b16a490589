package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A {@code products} row (GlobalKTable value), with the columns the seed query reads. Immutable once bound. */
@JsonIgnoreProperties(ignoreUnknown = true)
record Product(
        @JsonProperty("name") String name,
        @JsonProperty("category") String category,
        @JsonProperty("subcategory") String subcategory,
        @JsonProperty("brand") String brand,
        @JsonProperty("price") Double price,
        @JsonProperty("rating") Double rating,
        @JsonProperty("tags") List<String> tags)
{
}
