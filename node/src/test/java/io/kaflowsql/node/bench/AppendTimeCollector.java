package io.kaflowsql.node.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Reads an output topic created with {@code message.timestamp.type=LogAppendTime} ({@code read_committed},
 * from the beginning, on its own thread) and keeps, per <em>input</em> partition, the append timestamp of
 * every output record. Under exactly-once a node's output is appended when the node sends it (before its
 * transaction commits), so an append time is when the owning node processed the record; aborted output
 * (a killed node's open transaction) is never read.
 *
 * <p>The input partition of an output record is computed from its key with the default partitioner
 * ({@code murmur2(key) % inputPartitions}): the seed's output is keyed by {@code user_id} like the clicks,
 * and the engine sends results with the key's UTF-8 bytes and no explicit partition, so this is the
 * partition the click was read from whatever the output topic's partition count. {@link #misplaced}
 * counts records whose output partition differs (0 when both topics have the same partition count).
 *
 * <p>Thread-safe: the reader thread appends under the lock of each partition's list; queries copy.
 */
final class AppendTimeCollector
        implements AutoCloseable
{
    private static final Pattern CLICK_TIME = Pattern.compile("\"timestamp\"\\s*:\\s*\"([^\"]+)\"");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final int inputPartitions;
    private final Timestamps[] perPartition;
    private final AtomicLong misplaced = new AtomicLong();
    private final AtomicLong notAppendTime = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    /** A gap between two consecutive append times of one input partition. */
    record Gap(long millis, long fromEpochMillis, long toEpochMillis)
    {
        static final Gap NONE = new Gap(0, 0, 0);
    }

    /** How long the longest-waiting click waited: from its own time (when it was sent) to its output's append time. */
    record Wait(long millis, long clickEpochMillis)
    {
        static final Wait NONE = new Wait(0, 0);
    }

    /** Growable arrays of append times, and of the click times the records carry, of one input partition. */
    private static final class Timestamps
    {
        private long[] values = new long[1024];
        private long[] clickTimes = new long[1024];
        private int size;
        private long latestClickTime = Long.MIN_VALUE;

        synchronized void add(long value, long clickTime)
        {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                clickTimes = Arrays.copyOf(clickTimes, size * 2);
            }
            clickTimes[size] = clickTime;
            values[size++] = value;
            latestClickTime = Math.max(latestClickTime, clickTime);
        }

        /** The longest append time minus click time over the records whose click time is in {@code [from, to]}. */
        synchronized Wait maxWait(long from, long to)
        {
            Wait max = Wait.NONE;
            for (int i = 0; i < size; i++) {
                long wait = values[i] - clickTimes[i];
                if (clickTimes[i] >= from && clickTimes[i] <= to && wait > max.millis()) {
                    max = new Wait(wait, clickTimes[i]);
                }
            }
            return max;
        }

        synchronized long[] sorted()
        {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }

        /** Kept as records arrive: the benchmark polls it every 50 ms while hundreds of thousands of records accumulate. */
        synchronized long latestClickTime()
        {
            return latestClickTime;
        }

        synchronized long last()
        {
            return size == 0 ? 0 : values[size - 1];
        }
    }

    AppendTimeCollector(String bootstrapServers, String topic, int outputPartitions, int inputPartitions)
    {
        this.topic = requireNonNull(topic, "topic is null");
        this.inputPartitions = inputPartitions;
        this.perPartition = IntStream.range(0, inputPartitions).mapToObj(partition -> new Timestamps()).toArray(Timestamps[]::new);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = IntStream.range(0, outputPartitions).mapToObj(partition -> new TopicPartition(topic, partition)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::read, "bench-append-times-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void read()
    {
        try {
            while (!stopped) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.key() == null) {
                        continue;
                    }
                    if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        notAppendTime.incrementAndGet();
                    }
                    int input = Utils.toPositive(Utils.murmur2(record.key())) % inputPartitions;
                    if (input != record.partition()) {
                        misplaced.incrementAndGet();
                    }
                    perPartition[input].add(record.timestamp(), clickTime(record.value()));
                }
            }
        }
        catch (RuntimeException e) {
            if (!stopped) {
                failure.compareAndSet(null, e);
            }
        }
        finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * The longest interval between consecutive append times of {@code partition}'s output that ends after
     * {@code fromEpochMillis} and starts before {@code toEpochMillis} (so the interval across either edge
     * counts).
     */
    Gap maxGap(int partition, long fromEpochMillis, long toEpochMillis)
    {
        check();
        long[] times = perPartition[partition].sorted();
        Gap max = Gap.NONE;
        for (int i = 1; i < times.length; i++) {
            if (times[i] > fromEpochMillis && times[i - 1] < toEpochMillis && times[i] - times[i - 1] > max.millis()) {
                max = new Gap(times[i] - times[i - 1], times[i - 1], times[i]);
            }
        }
        return max;
    }

    /** The longest interval between consecutive append times of {@code partition}'s output lying wholly inside {@code [fromEpochMillis, toEpochMillis]}. */
    Gap maxGapInside(int partition, long fromEpochMillis, long toEpochMillis)
    {
        check();
        long[] times = perPartition[partition].sorted();
        Gap max = Gap.NONE;
        for (int i = 1; i < times.length; i++) {
            if (times[i - 1] >= fromEpochMillis && times[i] <= toEpochMillis && times[i] - times[i - 1] > max.millis()) {
                max = new Gap(times[i] - times[i - 1], times[i - 1], times[i]);
            }
        }
        return max;
    }

    /**
     * The longest wait of a click of {@code partition} sent in {@code [fromEpochMillis, toEpochMillis]}: its
     * output's append time minus the click's own {@code timestamp} (the feeders stamp each click with the time
     * they send it, and the seed query copies it to the output). Unlike {@link #maxGap}, this also counts a
     * click that waited through a hand-over behind records the new owner released first.
     */
    Wait maxWait(int partition, long fromEpochMillis, long toEpochMillis)
    {
        check();
        return perPartition[partition].maxWait(fromEpochMillis, toEpochMillis);
    }

    /** The click time in an output value's {@code "timestamp"} field (ISO-8601); {@code Long.MIN_VALUE} if it has none. */
    static long clickTime(byte[] value)
    {
        if (value == null) {
            return Long.MIN_VALUE;
        }
        Matcher matcher = CLICK_TIME.matcher(new String(value, StandardCharsets.UTF_8));
        return matcher.find() ? Instant.parse(matcher.group(1)).toEpochMilli() : Long.MIN_VALUE;
    }

    /** The latest click time among {@code partition}'s output so far; {@code Long.MIN_VALUE} if none. */
    long latestClickTime(int partition)
    {
        check();
        return perPartition[partition].latestClickTime();
    }

    /** Append time of the last output record read from {@code partition}, 0 if none yet. */
    long lastAppend(int partition)
    {
        check();
        return perPartition[partition].last();
    }

    long misplaced()
    {
        return misplaced.get();
    }

    /** Records whose timestamp is not a log-append time (the topic was not created as it should be); 0 normally. */
    long notAppendTime()
    {
        return notAppendTime.get();
    }

    private void check()
    {
        if (failure.get() != null) {
            throw new IllegalStateException("reading " + topic + " failed", failure.get());
        }
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopped = true;
        consumer.wakeup();
        thread.join(10_000);
    }
}
