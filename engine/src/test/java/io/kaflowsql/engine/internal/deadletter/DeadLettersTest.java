package io.kaflowsql.engine.internal.deadletter;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.RejectReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest
{
    private static final byte[] KEY = "u1".getBytes(StandardCharsets.UTF_8);

    @Test
    void keepsKeyValueAndTimestampAndNamesSourceAndReason()
    {
        byte[] value = "{\"event_id\": ".getBytes(StandardCharsets.UTF_8);
        InputRecord input = new InputRecord("clickstreams", 3, 42, KEY, value, 1_750_000_000_000L);

        ProducerRecord<byte[], byte[]> record = DeadLetters.record("out-dlq", "personalization_engine", input, RejectReason.UNDECODABLE, "invalid JSON: eof");

        assertThat(record.topic()).isEqualTo("out-dlq");
        assertThat(record.partition()).isNull();
        assertThat(record.key()).isEqualTo(KEY);
        assertThat(record.value()).isEqualTo(value);
        assertThat(record.timestamp()).isEqualTo(1_750_000_000_000L);
        assertThat(headers(record.headers())).containsExactly(
                Map.entry(DeadLetters.PIPELINE, "personalization_engine"),
                Map.entry(DeadLetters.SOURCE_TOPIC, "clickstreams"),
                Map.entry(DeadLetters.SOURCE_PARTITION, "3"),
                Map.entry(DeadLetters.SOURCE_OFFSET, "42"),
                Map.entry(DeadLetters.ERROR_REASON, "undecodable"),
                Map.entry(DeadLetters.ERROR_CLASS, "UNDECODABLE"),
                Map.entry(DeadLetters.ERROR_MESSAGE, "invalid JSON: eof"));
    }

    @Test
    void hugeValueIsTruncatedToItsBeginningWithTheOriginalSizeInAHeader()
    {
        byte[] value = new byte[2 * 1024 * 1024 + 5];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        InputRecord input = new InputRecord("clickstreams", 0, 7, KEY, value, 5);

        ProducerRecord<byte[], byte[]> record = DeadLetters.record("out-dlq", "p", input, RejectReason.RECORD_TOO_LARGE, "too big");

        assertThat(record.value()).isEqualTo(Arrays.copyOf(value, 64 * 1024));
        assertThat(headers(record.headers()))
                .containsEntry(DeadLetters.VALUE_TRUNCATED, "true")
                .containsEntry(DeadLetters.VALUE_ORIGINAL_SIZE, Integer.toString(value.length))
                .containsEntry(DeadLetters.ERROR_REASON, "record-too-large");
    }

    @Test
    void valueThatFitsARequestIsKeptWhole()
    {
        byte[] value = new byte[DeadLetters.MAX_WHOLE_VALUE_BYTES];
        ProducerRecord<byte[], byte[]> record = DeadLetters.record("out-dlq", "p", new InputRecord("t", 0, 0, null, value, 0),
                RejectReason.UNDECODABLE, "x");

        assertThat(record.value()).isSameAs(value);
        assertThat(record.key()).isNull();
        assertThat(headers(record.headers())).doesNotContainKey(DeadLetters.VALUE_TRUNCATED);
    }

    @Test
    void longMessageIsCappedOnACharacterBoundary()
    {
        String detail = "\u00e9".repeat(5000); // two UTF-8 bytes each: a cut at an odd byte would split one

        byte[] message = DeadLetters.record("out-dlq", "p", new InputRecord("t", 0, 0, null, null, 0), RejectReason.EVALUATION_ERROR, detail)
                .headers().lastHeader(DeadLetters.ERROR_MESSAGE).value();

        assertThat(message.length).isLessThanOrEqualTo(DeadLetters.MAX_MESSAGE_BYTES);
        String text = new String(message, StandardCharsets.UTF_8);
        assertThat(text).endsWith("...").doesNotContain("\ufffd");
        assertThat(text.substring(0, text.length() - 3)).matches("\u00e9+");
    }

    @Test
    void heldRecordNamesTheDrivingTopicWithoutPositionKeyOrValue()
    {
        CompiledPipeline pipeline = new PipelineLoader().load("""
                name: enrich
                query: SELECT c.event_id, u.tier FROM clicks c LEFT JOIN users u ON c.user_id = u.user_id
                output:
                  topic: enriched
                  dead_letter_topic: enriched.rejects
                state:
                  dimensions: [users]
                """, "enrich.yaml");

        ProducerRecord<byte[], byte[]> record = DeadLetters.of(pipeline).record(null, RejectReason.EVALUATION_ERROR, "held record 9: boom");

        assertThat(record.topic()).isEqualTo("enriched.rejects");
        assertThat(record.key()).isNull();
        assertThat(record.value()).isNull();
        assertThat(record.timestamp()).isNull();
        assertThat(headers(record.headers()))
                .containsEntry(DeadLetters.PIPELINE, "enrich")
                .containsEntry(DeadLetters.SOURCE_TOPIC, "clicks")
                .containsEntry(DeadLetters.SOURCE_PARTITION, "-1")
                .containsEntry(DeadLetters.SOURCE_OFFSET, "-1")
                .containsEntry(DeadLetters.SOURCE_HELD, "true")
                .containsEntry(DeadLetters.ERROR_MESSAGE, "held record 9: boom");
    }

    @Test
    void heldRecordOfAnUnknownPipelineHasAnEmptySourceTopic()
    {
        ProducerRecord<byte[], byte[]> record = DeadLetters.record("out-dlq", "p", null, RejectReason.UNENCODABLE_OUTPUT, "held record 3: key");

        assertThat(headers(record.headers()))
                .containsEntry(DeadLetters.SOURCE_TOPIC, "")
                .containsEntry(DeadLetters.SOURCE_OFFSET, "-1")
                .containsEntry(DeadLetters.SOURCE_HELD, "true")
                .containsEntry(DeadLetters.ERROR_REASON, "unencodable-output");
    }

    @Test
    void recordWithoutTimestampLetsTheProducerChoose()
    {
        ProducerRecord<byte[], byte[]> record = DeadLetters.record("out-dlq", "p", new InputRecord("t", 0, 0, null, null, -1),
                RejectReason.DRIVING_TOMBSTONE, "tombstone");

        assertThat(record.timestamp()).isNull();
    }

    private static Map<String, String> headers(Headers headers)
    {
        Map<String, String> result = new LinkedHashMap<>();
        for (Header header : headers) {
            assertThat(result).as("header %s appears once", header.key()).doesNotContainKey(header.key());
            result.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return result;
    }
}
