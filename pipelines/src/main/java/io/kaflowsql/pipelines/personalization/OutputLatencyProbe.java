package io.kaflowsql.pipelines.personalization;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Measures end-to-end latency of a pipeline: consumes its output topic on its own thread and
 * records, per record, receive time minus the record timestamp (which the engine carries over from
 * the driving record, stamped by {@link TrafficProducer} at send time) in microseconds, into an
 * HdrHistogram. Also keeps the last few records for display.
 *
 * <p>Receive time is read once per poll batch: every record of a batch arrived together, and the
 * time spent iterating the batch here is not pipeline latency.
 *
 * <p>Lifecycle: construct, {@link #start()} once, {@link #close()} once. The consumer is touched
 * only by the probe's thread (plus {@code wakeup()} from {@code close}). All read methods are
 * thread-safe.
 */
public final class OutputLatencyProbe
        implements AutoCloseable
{
    /** Where a new probe starts reading. */
    public enum StartPosition
    {
        EARLIEST, LATEST
    }

    private static final Logger log = LoggerFactory.getLogger(OutputLatencyProbe.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final Clock clock;
    private final int sampleSize;
    private final Function<byte[], String> valueRenderer;
    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private final Histogram interval = new Histogram(SIGNIFICANT_DIGITS);
    private final Deque<SampleRecord> samples = new ArrayDeque<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private Histogram recycled; // guarded by total
    private volatile boolean running;
    private boolean started; // guarded by this

    /**
     * @param sampleSize how many of the latest records {@link #recentRecords} keeps
     * @param valueRenderer turns a value into display text (e.g. UTF-8 for JSON, a decoder for Avro)
     */
    public OutputLatencyProbe(Consumer<String, byte[]> consumer, String topic, Clock clock, int sampleSize, Function<byte[], String> valueRenderer)
    {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (sampleSize < 0) {
            throw new IllegalArgumentException("sampleSize must not be negative, was " + sampleSize);
        }
        this.sampleSize = sampleSize;
        this.valueRenderer = requireNonNull(valueRenderer, "valueRenderer is null");
        this.thread = new Thread(this::pollLoop, "latency-probe-" + topic);
        this.thread.setDaemon(true);
    }

    /** A probe of {@code topic} with {@link #consumerConfig}, keeping 5 samples rendered as UTF-8. */
    public static OutputLatencyProbe connect(String bootstrapServers, String topic, String groupId, StartPosition start, Clock clock)
    {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers, groupId, start));
        return new OutputLatencyProbe(consumer, topic, clock, 5, OutputLatencyProbe::utf8);
    }

    /** {@code read_committed}, no offset commits, reset to {@code start} (the group should be new). */
    public static Map<String, Object> consumerConfig(String bootstrapServers, String groupId, StartPosition start)
    {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(bootstrapServers, "bootstrapServers is null"));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, requireNonNull(groupId, "groupId is null"));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, requireNonNull(start, "start is null").name().toLowerCase(Locale.ROOT));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    public static String utf8(byte[] value)
    {
        return value == null ? "null" : new String(value, StandardCharsets.UTF_8);
    }

    public synchronized void start()
    {
        if (started) {
            throw new IllegalStateException("probe of " + topic + " already started");
        }
        started = true;
        running = true;
        thread.start();
    }

    /** Waits until the consumer has been assigned partitions of the topic; false on timeout. */
    public boolean awaitAssignment(Duration timeout)
            throws InterruptedException
    {
        return assigned.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Latency over every record since start (or {@link #reset}). */
    public LatencySnapshot snapshot()
    {
        synchronized (total) {
            drainRecorder();
            return LatencySnapshot.of(total);
        }
    }

    /** Latency over the records since the previous call of this method. */
    public LatencySnapshot intervalSnapshot()
    {
        synchronized (total) {
            drainRecorder();
            LatencySnapshot snapshot = LatencySnapshot.of(interval);
            interval.reset();
            return snapshot;
        }
    }

    /** Records seen since start (or {@link #reset}). */
    public long count()
    {
        return snapshot().count();
    }

    /** Forgets everything recorded so far, e.g. after a warm-up. */
    public void reset()
    {
        synchronized (total) {
            drainRecorder();
            total.reset();
            interval.reset();
        }
    }

    /** The latest records, oldest first. */
    public List<SampleRecord> recentRecords()
    {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Why the probe's thread stopped early, if it did. */
    public Optional<Throwable> failure()
    {
        return Optional.ofNullable(failure.get());
    }

    /** Stops the thread and closes the consumer (waiting up to 10 s; an interrupt cuts the wait short). */
    @Override
    public void close()
    {
        boolean wasStarted;
        synchronized (this) {
            wasStarted = started;
            started = true; // a closed probe cannot be started
        }
        if (!wasStarted) {
            consumer.close();
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollLoop()
    {
        try (consumer) {
            consumer.subscribe(List.of(topic), new AssignmentListener());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    recordBatch(records, epochMicros(clock.instant()));
                }
            }
        }
        catch (WakeupException e) {
            if (running) {
                failure.set(e);
            }
        }
        catch (RuntimeException | Error e) {
            failure.set(e);
            log.error("Latency probe of {} stopped", topic, e);
        }
    }

    private void recordBatch(ConsumerRecords<String, byte[]> records, long nowMicros)
    {
        // Samples first, so a reader that sees the count of a batch also sees its samples.
        if (sampleSize > 0) {
            List<SampleRecord> latest = new ArrayList<>(sampleSize);
            int index = 0;
            int firstSample = records.count() - sampleSize;
            for (ConsumerRecord<String, byte[]> record : records) {
                if (index++ >= firstSample) {
                    latest.add(new SampleRecord(record.partition(), record.offset(), record.key(), valueRenderer.apply(record.value()),
                            record.timestamp(), latencyMicros(record, nowMicros)));
                }
            }
            synchronized (samples) {
                for (SampleRecord sample : latest) {
                    if (samples.size() == sampleSize) {
                        samples.removeFirst();
                    }
                    samples.addLast(sample);
                }
            }
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            recorder.recordValue(latencyMicros(record, nowMicros));
        }
    }

    /** Clamped at 0: a producer clock ahead of ours must not make the histogram throw. */
    private static long latencyMicros(ConsumerRecord<?, ?> record, long nowMicros)
    {
        return Math.max(0, nowMicros - record.timestamp() * 1000);
    }

    // Caller holds the lock on total.
    private void drainRecorder()
    {
        recycled = recorder.getIntervalHistogram(recycled);
        total.add(recycled);
        interval.add(recycled);
    }

    private static long epochMicros(Instant instant)
    {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private final class AssignmentListener
            implements ConsumerRebalanceListener
    {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions)
        {
            if (!partitions.isEmpty()) {
                assigned.countDown();
            }
        }
    }
}
