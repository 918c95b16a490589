package io.kaflowsql.engine.internal.deadletter;

import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.RejectReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/** Builds dead-letter records: the original key and value with headers saying where they came from and why. */
public final class DeadLetters
{
    private DeadLetters() {}

    public static ProducerRecord<byte[], byte[]> record(String deadLetterTopic, String pipeline, InputRecord input, RejectReason reason, String detail)
    {
        RecordHeaders headers = new RecordHeaders();
        add(headers, "kaflowsql.pipeline", pipeline);
        add(headers, "kaflowsql.source.topic", input == null ? "" : input.topic());
        add(headers, "kaflowsql.source.partition", input == null ? "-1" : Integer.toString(input.partition()));
        add(headers, "kaflowsql.source.offset", input == null ? "-1" : Long.toString(input.offset()));
        add(headers, "kaflowsql.error.reason", reason.label());
        add(headers, "kaflowsql.error.class", reason.name());
        add(headers, "kaflowsql.error.message", detail);
        return new ProducerRecord<>(deadLetterTopic, null, input == null ? null : input.timestamp(), input == null ? null : input.key(),
                input == null ? null : input.value(), headers);
    }

    private static void add(RecordHeaders headers, String key, String value)
    {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
