package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Reads the output topic from the beginning with {@code isolation.level=read_committed} (so records
 * of aborted or still-open transactions are never seen) and keeps every value read, grouped by event
 * id, so duplicates stay visible. Each {@link #readAvailable} continues where the last one stopped.
 *
 * <p>Not thread-safe (it owns a {@link KafkaConsumer}); one scenario thread uses it.
 */
final class OutputTopicReader
        implements AutoCloseable
{
    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final Map<String, List<JsonNode>> valuesByEventId = new LinkedHashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private long records;

    OutputTopicReader(String bootstrapServers, String topic)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"),
                new StringDeserializer(), new StringDeserializer());
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("output topic " + topic + " does not exist; create it before reading");
        }
        this.partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Reads up to the current last stable offsets (for read_committed the end offsets are the LSO)
     * or until {@code timeout}; returns how many records were read by this call.
     */
    long readAvailable(Duration timeout)
    {
        long before = records;
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        while (!caughtUp(ends) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                remember(record.value());
            }
        }
        return records - before;
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends)
    {
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
    }

    private void remember(String value)
    {
        records++;
        try {
            JsonNode tree = OutputValues.parse(value);
            valuesByEventId.computeIfAbsent(OutputValues.eventId(tree), id -> new ArrayList<>()).add(tree);
        }
        catch (IllegalArgumentException e) {
            unreadable.add(String.valueOf(value));
        }
    }

    /** Records read so far, duplicates included. */
    long records()
    {
        return records;
    }

    /** Whether every id in {@code eventIds} has been read at least once. */
    boolean containsAll(Set<String> eventIds)
    {
        return valuesByEventId.keySet().containsAll(eventIds);
    }

    int distinctEventIds()
    {
        return valuesByEventId.size();
    }

    /** Everything read so far: event id to every value read for it, in read order. */
    Map<String, List<JsonNode>> valuesByEventId()
    {
        Map<String, List<JsonNode>> copy = new HashMap<>();
        valuesByEventId.forEach((id, values) -> copy.put(id, List.copyOf(values)));
        return copy;
    }

    /** Values that were not JSON objects with an event id. */
    List<String> unreadable()
    {
        return List.copyOf(unreadable);
    }

    @Override
    public void close()
    {
        consumer.close();
    }
}
