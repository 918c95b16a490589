package io.kaflowsql.pipelines.personalization;

import static java.util.Objects.requireNonNull;

/**
 * One record ready to be written to Kafka: a string key and a UTF-8 JSON value.
 *
 * @param topic target topic, one of {@link PersonalizationTopics}
 * @param key the record key ({@code user_id} or {@code product_id}, equal to that field of the value)
 * @param json the record value as a JSON object
 * @param timestampMillis the record's event time (Kafka record timestamp)
 */
public record GeneratedRecord(String topic, String key, String json, long timestampMillis)
{
    public GeneratedRecord
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(key, "key is null");
        requireNonNull(json, "json is null");
    }
}
