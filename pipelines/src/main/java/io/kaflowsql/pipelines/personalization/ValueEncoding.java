package io.kaflowsql.pipelines.personalization;

import java.nio.charset.StandardCharsets;

/**
 * How {@link TrafficProducer} turns a {@link GeneratedRecord} into the bytes of a Kafka record value:
 * {@link #json()} writes its JSON as is, {@link AvroValueEncoding} writes chosen topics as Avro in
 * the Confluent wire format. Implementations say whether they are thread-safe.
 */
public interface ValueEncoding
{
    /** The record's value bytes; an {@link IllegalArgumentException} when the record does not fit the encoding. */
    byte[] encode(GeneratedRecord record);

    /** The UTF-8 bytes of {@link GeneratedRecord#json()}, for every topic. Stateless and thread-safe. */
    static ValueEncoding json()
    {
        return record -> record.json().getBytes(StandardCharsets.UTF_8);
    }
}
