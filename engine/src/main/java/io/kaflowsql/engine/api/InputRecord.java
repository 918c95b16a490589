package io.kaflowsql.engine.api;

import static java.util.Objects.requireNonNull;

/**
 * A record read from a source topic, as the engine sees it: raw bytes plus where it came from.
 *
 * @param key the Kafka key bytes (UTF-8 text), or null
 * @param value the record value, or null for a tombstone
 * @param timestamp the record's event time in epoch millis
 */
public record InputRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp)
{
    public InputRecord
    {
        requireNonNull(topic, "topic is null");
    }

    public String keyString()
    {
        return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        return topic + "-" + partition + "@" + offset;
    }
}
