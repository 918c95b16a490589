package io.kaflowsql.engine.internal.deadletter;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.RejectReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Builds the dead-letter record of a rejected input record: the original key and value, the original
 * timestamp, and headers (UTF-8 text) saying where the record came from and why it was rejected:
 * <ul>
 *   <li>{@value #PIPELINE}: the pipeline name;</li>
 *   <li>{@value #SOURCE_TOPIC}, {@value #SOURCE_PARTITION}, {@value #SOURCE_OFFSET}: where the input was read;</li>
 *   <li>{@value #ERROR_REASON}: the {@link RejectReason#label() label}, e.g. {@code undecodable};</li>
 *   <li>{@value #ERROR_CLASS}: the reason's enum name, e.g. {@code UNDECODABLE};</li>
 *   <li>{@value #ERROR_MESSAGE}: the detail, at most {@value #MAX_MESSAGE_BYTES} bytes;</li>
 *   <li>{@value #VALUE_TRUNCATED} and {@value #VALUE_ORIGINAL_SIZE}, only when the value was truncated.</li>
 * </ul>
 *
 * <p>A value over {@value #MAX_WHOLE_VALUE_BYTES} bytes is cut to its first {@value #TRUNCATED_VALUE_BYTES}
 * bytes: the dead letter must fit Kafka's default 1 MiB request size together with its key and headers,
 * and the beginning of a huge record is enough to find it in its source topic by offset.
 *
 * <p>A held record (smart emission) that fails when re-evaluated has no input at hand ({@code input == null}):
 * its dead letter has no key and no value, the broker's timestamp, {@value #SOURCE_HELD} = {@code true},
 * {@value #SOURCE_TOPIC} = the driving topic when known (empty otherwise), and partition and offset
 * {@code -1}; the detail names the held record.
 *
 * <p>Immutable and thread-safe.
 */
public final class DeadLetters
{
    public static final String PIPELINE = "kaflowsql.pipeline";
    public static final String SOURCE_TOPIC = "kaflowsql.source.topic";
    public static final String SOURCE_PARTITION = "kaflowsql.source.partition";
    public static final String SOURCE_OFFSET = "kaflowsql.source.offset";
    public static final String SOURCE_HELD = "kaflowsql.source.held";
    public static final String ERROR_REASON = "kaflowsql.error.reason";
    public static final String ERROR_CLASS = "kaflowsql.error.class";
    public static final String ERROR_MESSAGE = "kaflowsql.error.message";
    public static final String VALUE_TRUNCATED = "kaflowsql.value.truncated";
    public static final String VALUE_ORIGINAL_SIZE = "kaflowsql.value.original.size";

    /** Room left below Kafka's default 1 MiB {@code max.request.size} for the key, headers and batch overhead. */
    public static final int MAX_WHOLE_VALUE_BYTES = 1024 * 1024 - 16 * 1024;
    public static final int TRUNCATED_VALUE_BYTES = 64 * 1024;
    public static final int MAX_MESSAGE_BYTES = 4 * 1024;

    private static final byte[] ELLIPSIS = "...".getBytes(StandardCharsets.US_ASCII);

    private final String deadLetterTopic;
    private final String pipeline;
    private final String drivingTopic;

    /** @param drivingTopic named in the dead letters of held records; null when unknown */
    public DeadLetters(String deadLetterTopic, String pipeline, String drivingTopic)
    {
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.drivingTopic = drivingTopic;
    }

    public static DeadLetters of(CompiledPipeline pipeline)
    {
        return new DeadLetters(pipeline.definition().output().deadLetterTopic(), pipeline.name(), pipeline.plan().driving().topic());
    }

    /**
     * The dead letter of a record rejected by a pipeline whose driving topic is not at hand: for a held
     * record ({@code input == null}) {@value #SOURCE_TOPIC} is empty.
     */
    public static ProducerRecord<byte[], byte[]> record(String deadLetterTopic, String pipeline, InputRecord input, RejectReason reason, String detail)
    {
        return new DeadLetters(deadLetterTopic, pipeline, null).record(input, reason, detail);
    }

    public String deadLetterTopic()
    {
        return deadLetterTopic;
    }

    /** @param input the rejected record, or null for a held record re-evaluated later */
    public ProducerRecord<byte[], byte[]> record(InputRecord input, RejectReason reason, String detail)
    {
        requireNonNull(reason, "reason is null");
        RecordHeaders headers = new RecordHeaders();
        add(headers, PIPELINE, pipeline);
        add(headers, SOURCE_TOPIC, input != null ? input.topic() : drivingTopic != null ? drivingTopic : "");
        add(headers, SOURCE_PARTITION, Integer.toString(input == null ? -1 : input.partition()));
        add(headers, SOURCE_OFFSET, Long.toString(input == null ? -1 : input.offset()));
        if (input == null) {
            add(headers, SOURCE_HELD, "true");
        }
        add(headers, ERROR_REASON, reason.label());
        add(headers, ERROR_CLASS, reason.name());
        headers.add(ERROR_MESSAGE, capped(detail == null ? "" : detail));
        byte[] value = input == null ? null : input.value();
        if (value != null && value.length > MAX_WHOLE_VALUE_BYTES) {
            add(headers, VALUE_TRUNCATED, "true");
            add(headers, VALUE_ORIGINAL_SIZE, Integer.toString(value.length));
            value = Arrays.copyOf(value, TRUNCATED_VALUE_BYTES);
        }
        Long timestamp = input == null || input.timestamp() < 0 ? null : input.timestamp();
        return new ProducerRecord<>(deadLetterTopic, null, timestamp, input == null ? null : input.key(), value, headers);
    }

    private static void add(RecordHeaders headers, String name, String value)
    {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The UTF-8 bytes of {@code text}, cut on a character boundary and marked with "..." when over the cap. */
    static byte[] capped(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_MESSAGE_BYTES) {
            return bytes;
        }
        int end = MAX_MESSAGE_BYTES - ELLIPSIS.length;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // bytes[end] continues a multi-byte character: cut before that character starts
        }
        byte[] result = Arrays.copyOf(bytes, end + ELLIPSIS.length);
        System.arraycopy(ELLIPSIS, 0, result, end, ELLIPSIS.length);
        return result;
    }
}
