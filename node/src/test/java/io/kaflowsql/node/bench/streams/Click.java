package io.kaflowsql.node.bench.streams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A {@code clickstreams} record as the Kafka Streams application binds it: only the fields the seed query
 * reads ({@code referrer} is skipped while parsing, as the engine's projection pushdown does). Immutable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Click(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("user_id") String userId,
        @JsonProperty("session_id") String sessionId,
        @JsonProperty("event_type") String eventType,
        @JsonProperty("page_url") String pageUrl,
        @JsonProperty("product_id") String productId,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("device") String device,
        @JsonProperty("location") String location)
{
}
