package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * At start, event tables are read up to their current end before the driving stream of the same
 * partition is processed, so rows that were already in the event tables are joined, not missed because
 * one topic happened to be fetched before the other. The driving partitions are paused meanwhile.
 *
 * <p>Not thread-safe: used by the stream thread, which owns the consumer.
 */
final class EventTableCatchUp
{
    private static final Logger log = LoggerFactory.getLogger(EventTableCatchUp.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String drivingTopic;
    /** Event-table partitions still being caught up, with the end offset to reach. */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();

    EventTableCatchUp(Consumer<byte[], byte[]> consumer, String drivingTopic)
    {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.drivingTopic = requireNonNull(drivingTopic, "drivingTopic is null");
    }

    /** Pauses the driving partitions whose event tables have rows beyond the current positions. */
    void holdDrivingUntilCaughtUp(List<TopicPartition> assignment)
    {
        List<TopicPartition> eventTables = assignment.stream().filter(partition -> !partition.topic().equals(drivingTopic)).toList();
        if (eventTables.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(eventTables);
        for (TopicPartition partition : eventTables) {
            long position = consumer.position(partition);
            if (ends.get(partition) > position) {
                catchingUp.put(partition, ends.get(partition));
                log.info("Event table {} is read from offset {} to {} before its driving partition", partition, position, ends.get(partition));
            }
        }
        consumer.pause(assignment.stream().filter(partition -> partition.topic().equals(drivingTopic)).toList());
        resumeCaughtUp();
    }

    /** Resumes the driving partitions whose event tables reached their end; cheap once all have. */
    void resumeCaughtUp()
    {
        if (catchingUp.isEmpty() && consumer.paused().isEmpty()) {
            return;
        }
        catchingUp.entrySet().removeIf(end -> !consumer.assignment().contains(end.getKey()) || consumer.position(end.getKey()) >= end.getValue());
        List<TopicPartition> ready = consumer.paused().stream()
                .filter(partition -> partition.topic().equals(drivingTopic))
                .filter(partition -> catchingUp.keySet().stream().noneMatch(table -> table.partition() == partition.partition()))
                .toList();
        if (!ready.isEmpty()) {
            consumer.resume(ready);
        }
    }
}
