package io.kaflowsql.node.bench.streams;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.IntStream;

/**
 * When an engine wrote its first result: the smallest append time among the first record of each partition of
 * an output topic created with {@code message.timestamp.type=LogAppendTime}, read {@code read_committed} after
 * the run (so the reader costs nothing while the engine is measured). Stateless; thread-safe.
 */
final class FirstOutput
{
    private FirstOutput() {}

    /** The first append time (epoch millis) over {@code partitions} partitions of {@code topic}; empty if none is readable within {@code timeout}. */
    static OptionalLong appendTime(String bootstrapServers, String topic, int partitions, Duration timeout)
    {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        Map<Integer, Long> first = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = IntStream.range(0, partitions).mapToObj(partition -> new TopicPartition(topic, partition)).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (first.size() < partitions && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException(topic + " was not created with message.timestamp.type=LogAppendTime");
                    }
                    first.putIfAbsent(record.partition(), record.timestamp());
                }
                consumer.pause(first.keySet().stream().map(partition -> new TopicPartition(topic, partition)).toList());
            }
        }
        return first.values().stream().mapToLong(Long::longValue).min();
    }
}
