package io.kaflowsql.engine.api;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * An enriched record to write.
 *
 * @param key the value of the output key column in canonical text form, or null
 * @param timestamp the driving record's event time (so consumers can measure end-to-end latency)
 */
public record OutputRecord(String topic, String key, byte[] value, long timestamp)
{
    public OutputRecord
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(value, "value is null");
    }

    public String valueText()
    {
        return new String(value, StandardCharsets.UTF_8);
    }
}
