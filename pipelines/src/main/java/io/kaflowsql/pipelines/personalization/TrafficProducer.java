package io.kaflowsql.pipelines.personalization;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Writes a {@link PersonalizationDataset} to Kafka: first the joined sources
 * ({@link #loadDimensions}), then a paced stream of clicks with changes to the joined sources
 * interleaved per {@link TrafficMix} ({@link #runClicks}). Keys are strings, values the bytes its
 * {@link ValueEncoding} makes of each record (UTF-8 JSON unless told otherwise, e.g. Avro for some
 * topics with {@link AvroValueEncoding}), the record timestamp is the event time: the dimension rows carry the dataset's start time, live
 * records the injected clock's current time (so a consumer can measure end-to-end latency).
 *
 * <p>Threading: {@code loadDimensions} and {@code runClicks} must be called from one thread at a
 * time (the dataset's live stream is single-threaded); the counters ({@link #counts} and the
 * getters) are thread-safe and meant for a live summary on another thread. Sends block only when
 * the producer's buffer is full (Kafka's own backpressure). A record the encoding refuses (a
 * generator/schema mismatch, a bug) fails the sending method with an {@link IllegalArgumentException}.
 */
public final class TrafficProducer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(TrafficProducer.class);

    private final Producer<String, byte[]> producer;
    private final PersonalizationDataset dataset;
    private final TrafficMix mix;
    private final TrafficClock clock;
    private final ValueEncoding encoding;
    private final LongAdder clicks = new LongAdder();
    private final LongAdder profileUpdates = new LongAdder();
    private final LongAdder purchases = new LongAdder();
    private final LongAdder productUpdates = new LongAdder();
    private final LongAdder dimensionRecords = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback callback = this::onCompletion;
    private long clickNumber;

    /** Writes values as JSON. */
    public TrafficProducer(Producer<String, byte[]> producer, PersonalizationDataset dataset, TrafficMix mix, TrafficClock clock)
    {
        this(producer, dataset, mix, clock, ValueEncoding.json());
    }

    public TrafficProducer(Producer<String, byte[]> producer, PersonalizationDataset dataset, TrafficMix mix, TrafficClock clock, ValueEncoding encoding)
    {
        this.producer = requireNonNull(producer, "producer is null");
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.mix = requireNonNull(mix, "mix is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.encoding = requireNonNull(encoding, "encoding is null");
    }

    /** A producer with {@link #producerConfig} for {@code bootstrapServers}, writing values as JSON. */
    public static TrafficProducer connect(String bootstrapServers, PersonalizationDataset dataset, TrafficMix mix, TrafficClock clock)
    {
        return connect(bootstrapServers, dataset, mix, clock, ValueEncoding.json());
    }

    /** A producer with {@link #producerConfig} (but byte-array values) for {@code bootstrapServers}, writing values per {@code encoding}. */
    public static TrafficProducer connect(String bootstrapServers, PersonalizationDataset dataset, TrafficMix mix, TrafficClock clock, ValueEncoding encoding)
    {
        Map<String, Object> config = producerConfig(bootstrapServers);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new TrafficProducer(new KafkaProducer<>(config), dataset, mix, clock, encoding);
    }

    /**
     * {@code acks=all}, idempotent, 5 ms linger, string serializers (for callers that send their own
     * JSON; {@link #connect} swaps in a byte-array value serializer). A new mutable map each call.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers)
    {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(bootstrapServers, "bootstrapServers is null"));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "kaflowsql-traffic");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return config;
    }

    /**
     * Sends every profile, product and purchase history, in that order, then flushes, so they are
     * acknowledged (or failed, see {@link #firstFailure}) when this returns.
     *
     * @param progressEvery call {@code listener} after every this many records of a topic (and at its end)
     */
    public DimensionCounts loadDimensions(int progressEvery, LoadProgressListener listener)
    {
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progressEvery must be positive, was " + progressEvery);
        }
        requireNonNull(listener, "listener is null");
        GeneratorSettings settings = dataset.settings();
        long profiles = load(PersonalizationTopics.USER_PROFILES, dataset.userProfileStream(), settings.users(), progressEvery, listener);
        long products = load(PersonalizationTopics.PRODUCTS, dataset.productStream(), settings.products(), progressEvery, listener);
        long histories = load(PersonalizationTopics.PURCHASE_HISTORY, dataset.purchaseHistoryStream(), dataset.purchaseHistoryCount(), progressEvery, listener);
        producer.flush();
        return new DimensionCounts(profiles, products, histories);
    }

    /**
     * Sends clicks at {@code eventsPerSecond} for {@code duration} (measured on the injected
     * clock), or until {@code stop} returns true, then flushes. Changes per {@link TrafficMix} come
     * on top of the click rate.
     */
    public TrafficCounts runClicks(double eventsPerSecond, Duration duration, BooleanSupplier stop)
            throws InterruptedException
    {
        requireNonNull(duration, "duration is null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        // The small epsilon keeps e.g. 0.29/s * 100 s at 29 clicks despite floating-point error.
        long limit = (long) Math.floor(eventsPerSecond * duration.toNanos() / 1e9 + 1e-9);
        return run(eventsPerSecond, limit, duration.toNanos(), stop);
    }

    /** Sends clicks at {@code eventsPerSecond} until {@code stop} returns true, then flushes. */
    public TrafficCounts runClicksUntilStopped(double eventsPerSecond, BooleanSupplier stop)
            throws InterruptedException
    {
        return run(eventsPerSecond, Long.MAX_VALUE, Long.MAX_VALUE, stop);
    }

    private TrafficCounts run(double eventsPerSecond, long limit, long durationNanos, BooleanSupplier stop)
            throws InterruptedException
    {
        requireNonNull(stop, "stop is null");
        RatePacer pacer = new RatePacer(eventsPerSecond, clock);
        long startNanos = clock.nanoTime();
        pacer.start();
        long sent = 0;
        while (sent < limit && clock.nanoTime() - startNanos <= durationNanos && !stop.getAsBoolean()) {
            int batch = pacer.nextBatch((int) Math.min(mix.maxBatch(), limit - sent));
            for (int i = 0; i < batch; i++) {
                sendClickAndChanges(clock.currentTimeMillis());
            }
            sent += batch;
        }
        producer.flush();
        return counts();
    }

    private void sendClickAndChanges(long eventTimeMillis)
    {
        send(dataset.nextClick(eventTimeMillis));
        clicks.increment();
        clickNumber++;
        if (due(mix.clicksPerProfileUpdate())) {
            send(dataset.nextProfileUpdate(eventTimeMillis));
            profileUpdates.increment();
        }
        if (due(mix.clicksPerPurchase())) {
            send(dataset.nextPurchase(eventTimeMillis));
            purchases.increment();
        }
        if (due(mix.clicksPerProductUpdate())) {
            send(dataset.nextProductUpdate(eventTimeMillis));
            productUpdates.increment();
        }
    }

    private boolean due(int every)
    {
        return every > 0 && clickNumber % every == 0;
    }

    private long load(String topic, Stream<GeneratedRecord> records, long total, int progressEvery, LoadProgressListener listener)
    {
        long[] sent = {0};
        records.forEach(record -> {
            send(record);
            dimensionRecords.increment();
            if (++sent[0] % progressEvery == 0) {
                listener.onProgress(topic, sent[0], total);
            }
        });
        if (sent[0] % progressEvery != 0 || sent[0] == 0) {
            listener.onProgress(topic, sent[0], total);
        }
        return sent[0];
    }

    private void send(GeneratedRecord record)
    {
        producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), encoding.encode(record)), callback);
    }

    private void onCompletion(RecordMetadata metadata, Exception exception)
    {
        if (exception == null) {
            acknowledged.increment();
            return;
        }
        failed.increment();
        if (firstFailure.compareAndSet(null, exception)) {
            log.warn("Sending generated traffic failed; counting further failures silently", exception);
        }
    }

    public TrafficCounts counts()
    {
        return new TrafficCounts(clicks.sum(), profileUpdates.sum(), purchases.sum(), productUpdates.sum(), dimensionRecords.sum(),
                acknowledged.sum(), failed.sum());
    }

    public long clicksSent()
    {
        return clicks.sum();
    }

    public long recordsSent()
    {
        return counts().sent();
    }

    public long recordsAcknowledged()
    {
        return acknowledged.sum();
    }

    public long recordsFailed()
    {
        return failed.sum();
    }

    /** The first send failure reported by the producer, if any. */
    public Optional<Exception> firstFailure()
    {
        return Optional.ofNullable(firstFailure.get());
    }

    /** Flushes outstanding sends (waiting up to 10 s) and closes the producer. */
    @Override
    public void close()
    {
        producer.close(Duration.ofSeconds(10));
    }
}
