package io.kaflowsql.pipelines.personalization;

import static java.util.Objects.requireNonNull;

/**
 * A {@code clickstreams} record, field for field as in the seed spec's "Data Schema". Immutable.
 *
 * @param timestamp the event time as an ISO-8601 instant; equal to the Kafka record timestamp
 */
public record ClickEvent(
        String eventId,
        String userId,
        String sessionId,
        String eventType,
        String pageUrl,
        String productId,
        String timestamp,
        String referrer,
        String device,
        String location)
{
    public ClickEvent
    {
        requireNonNull(eventId, "eventId is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(eventType, "eventType is null");
        requireNonNull(pageUrl, "pageUrl is null");
        requireNonNull(productId, "productId is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(referrer, "referrer is null");
        requireNonNull(device, "device is null");
        requireNonNull(location, "location is null");
    }

    /** Whether the seed's {@code WHERE c.event_type IN ('page_view', 'add_to_cart', 'search')} keeps it. */
    public boolean passesSeedFilter()
    {
        return CatalogVocabulary.KEPT_EVENT_TYPES.contains(eventType);
    }

    public String toJson()
    {
        return new JsonObjectWriter()
                .field("event_id", eventId)
                .field("user_id", userId)
                .field("session_id", sessionId)
                .field("event_type", eventType)
                .field("page_url", pageUrl)
                .field("product_id", productId)
                .field("timestamp", timestamp)
                .field("referrer", referrer)
                .field("device", device)
                .field("location", location)
                .finish();
    }

    public GeneratedRecord toRecord(long timestampMillis)
    {
        return new GeneratedRecord(PersonalizationTopics.CLICKSTREAMS, userId, toJson(), timestampMillis);
    }
}
