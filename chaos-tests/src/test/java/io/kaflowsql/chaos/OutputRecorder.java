package io.kaflowsql.chaos;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Reads the output topic from the beginning, {@code isolation.level=read_committed}, on its own thread for the whole
 * run, and keeps every record with the moment it was first seen: the checker's latencies and processing gaps come
 * from those moments, its counts from the records. A broker that is bounced or paused only delays the reading.
 *
 * <p>Values are kept as text (a long run has hundreds of thousands) with the {@code event_id} taken out at once.
 *
 * <p>Thread-safe: the records are guarded by {@code this}.
 */
final class OutputRecorder
        implements AutoCloseable
{
    /**
     * One record as read.
     *
     * @param eventId the value's {@code event_id}, or null when the value is not a JSON object with one
     * @param seenNanos {@link System#nanoTime} when a poll first returned it
     */
    record Seen(int partition, long offset, String key, String value, String eventId, long seenNanos) {}

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    private final List<Seen> records = new ArrayList<>();
    private final Map<String, Integer> copies = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    OutputRecorder(String bootstrapServers, String topic, int partitionCount)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000"),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            assigned.add(new TopicPartition(topic, partition));
        }
        this.partitions = List.copyOf(assigned);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::read, "chaos-output-recorder");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void read()
    {
        try {
            while (!stopped) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        remember(record, System.nanoTime());
                    }
                    Map<Integer, Long> reached = new HashMap<>();
                    for (TopicPartition partition : partitions) {
                        reached.put(partition.partition(), consumer.position(partition));
                    }
                    synchronized (this) {
                        positions.putAll(reached);
                        notifyAll();
                    }
                }
                catch (org.apache.kafka.common.errors.TimeoutException e) {
                    // the broker is down or paused: read on when it is back
                }
            }
        }
        catch (WakeupException e) {
            // closing
        }
        catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private synchronized void remember(ConsumerRecord<String, String> record, long now)
    {
        String eventId = eventIdOf(record.value());
        records.add(new Seen(record.partition(), record.offset(), record.key(), record.value(), eventId, now));
        if (eventId != null) {
            copies.merge(eventId, 1, Integer::sum);
        }
        notifyAll();
    }

    private static String eventIdOf(String value)
    {
        try {
            return OutputValues.eventId(OutputValues.parse(value));
        }
        catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Whether the output holds {@code eventId} (committed). */
    synchronized boolean contains(String eventId)
    {
        return copies.containsKey(eventId);
    }

    synchronized int distinctEventIds()
    {
        return copies.size();
    }

    synchronized int size()
    {
        return records.size();
    }

    /** Every record read so far, in the order read. */
    synchronized List<Seen> records()
    {
        return List.copyOf(records);
    }

    /** Positions reached per partition: every committed record below them has been read. */
    synchronized Map<Integer, Long> positions()
    {
        return Map.copyOf(positions);
    }

    /** Waits until every partition's position reached {@code ends} (the end offsets after the last commit), or the timeout. */
    synchronized boolean awaitPositions(Map<Integer, Long> ends, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(ends)) {
            checkFailure();
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(Math.min(left, 200));
        }
        return true;
    }

    private boolean reached(Map<Integer, Long> ends)
    {
        return ends.entrySet().stream().allMatch(end -> positions.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }

    /** Throws if reading failed (anything but a slow broker, which the consumer rides out). */
    void checkFailure()
    {
        if (failure.get() != null) {
            throw new IllegalStateException("reading the output failed", failure.get());
        }
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
        consumer.close();
    }
}
