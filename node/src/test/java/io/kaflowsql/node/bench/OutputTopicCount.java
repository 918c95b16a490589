package io.kaflowsql.node.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code read_committed} reader sees on an output topic: how many records and how many distinct
 * {@code event_id}s (equal when nothing was written twice).
 */
record OutputTopicCount(long records, long distinctEventIds)
{
    private static final byte[] EVENT_ID = "\"event_id\":\"".getBytes(StandardCharsets.UTF_8);

    /** Reads {@code topic} from the start until {@code expected} records were read and then 2 s pass without more, or 2 minutes. */
    static OutputTopicCount read(String bootstrapServers, String topic, long expected)
    {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-count-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        long records = 0;
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long lastRecord = System.nanoTime();
            while (System.nanoTime() < deadline && (records < expected || System.nanoTime() - lastRecord < Duration.ofSeconds(2).toNanos())) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    ids.add(eventId(record.value()));
                    lastRecord = System.nanoTime();
                }
            }
        }
        return new OutputTopicCount(records, ids.size());
    }

    /** The value of the first {@code "event_id":"..."} in the JSON, without parsing the whole record. */
    private static String eventId(byte[] json)
    {
        int start = indexOf(json, EVENT_ID);
        if (start < 0) {
            return "";
        }
        start += EVENT_ID.length;
        int end = start;
        while (end < json.length && json[end] != '"') {
            end++;
        }
        return new String(json, start, end - start, StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] data, byte[] pattern)
    {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
