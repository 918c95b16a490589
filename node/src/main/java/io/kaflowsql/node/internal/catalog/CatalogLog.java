package io.kaflowsql.node.internal.catalog;

import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The durable pipeline catalog as a Kafka topic: {@code <cluster.name>-kaflowsql-catalog}, one partition (its order is
 * the order of changes), {@code cleanup.policy=compact}, key = pipeline name, value = {@link CatalogCodec} JSON, a
 * tombstone deletes.
 *
 * <p>Reading: one thread ({@code kaflowsql-catalog}) creates the topic when missing (retrying while Kafka does not
 * answer), reads it from the beginning and keeps reading; it keeps the current entry of every name and calls the
 * {@link Listener} on every change, on that thread, in topic order. A record it cannot use (corrupt, or of a newer
 * format) is logged with the pipeline's name and changes nothing: the last known entry stays. {@link #caughtUp()}
 * turns true once it reached the end the topic had when reading started; {@link #awaitApplied} gives a writer
 * read-your-writes (its record, and the listener's work for it, done on this node).
 *
 * <p>Writing: an idempotent producer with {@code acks=all}; {@link #write} and {@link #delete} block until the broker
 * acknowledged and return the record's offset.
 *
 * <p>Thread-safe.
 */
public final class CatalogLog
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(CatalogLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    /** Called on the reader thread for every change of a name: the new entry, or empty when it was deleted. */
    @FunctionalInterface
    public interface Listener
    {
        void changed(String name, Optional<CatalogEntry> entry);
    }

    private final String topic;
    private final TopicPartition partition;
    private final Map<String, Object> clientConfig;
    private final Listener listener;
    private final FormatVersions formats;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    /** Guarded by this. */
    private final Map<String, CatalogEntry> entries = new TreeMap<>();
    /** Next offset to read, once every record before it was applied; guarded by this. */
    private long appliedPosition;
    private boolean caughtUp;
    /** End offset of the topic when reading started: reaching it means caught up; guarded by this. */
    private long startEnd = Long.MAX_VALUE;
    private volatile boolean closed;
    /** Set by the reader when it starts closing its consumer; guarded by {@code this}. */
    private boolean closingConsumer;

    private CatalogLog(String topic, Map<String, Object> clientConfig, Listener listener, FormatVersions formats)
    {
        this.formats = requireNonNull(formats, "formats is null");
        this.topic = topic;
        this.partition = new TopicPartition(topic, 0);
        this.clientConfig = Map.copyOf(clientConfig);
        this.listener = listener;
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaflowsql-catalog-writer");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, SEND_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "kaflowsql-catalog-reader");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.reader = new Thread(this::read, "kaflowsql-catalog");
        this.reader.setDaemon(true);
    }

    /** The catalog topic of a cluster. */
    public static String topic(String clusterName)
    {
        return clusterName + "-kaflowsql-catalog";
    }

    /** Starts reading the catalog of {@code clusterName} (creating its topic when missing); returns at once. */
    public static CatalogLog start(String bootstrapServers, Map<String, String> clientProperties, String clusterName, Listener listener)
    {
        return start(bootstrapServers, clientProperties, clusterName, listener, FormatVersions.forThisBuild());
    }

    /** Like {@link #start(String, Map, String, Listener)}, writing and reading records in the versions {@code formats} says. */
    public static CatalogLog start(String bootstrapServers, Map<String, String> clientProperties, String clusterName, Listener listener,
            FormatVersions formats)
    {
        Map<String, Object> config = new HashMap<>(requireNonNull(clientProperties, "clientProperties is null"));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(bootstrapServers, "bootstrapServers is null"));
        CatalogLog catalog = new CatalogLog(topic(requireNonNull(clusterName, "clusterName is null")), config, requireNonNull(listener, "listener is null"), formats);
        catalog.reader.start();
        return catalog;
    }

    public String topic()
    {
        return topic;
    }

    /** The current entries by name (a copy). */
    public synchronized Map<String, CatalogEntry> entries()
    {
        return Map.copyOf(entries);
    }

    public synchronized Optional<CatalogEntry> entry(String name)
    {
        return Optional.ofNullable(entries.get(name));
    }

    /** True once the reader applied every record the topic held when it started reading. */
    public synchronized boolean caughtUp()
    {
        return caughtUp;
    }

    public synchronized boolean awaitCaughtUp(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return caughtUp;
    }

    /** Waits until the record at {@code offset} (and every one before it) was applied here; false on timeout. */
    public synchronized boolean awaitApplied(long offset, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (appliedPosition <= offset && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return appliedPosition > offset;
    }

    /** Writes {@code entry}; returns its offset once the broker acknowledged it. */
    public long write(CatalogEntry entry)
    {
        return send(entry.name(), CatalogCodec.encode(entry, formats.write(Format.CATALOG)));
    }

    /** Writes a tombstone for {@code name}; returns its offset once the broker acknowledged it. */
    public long delete(String name)
    {
        return send(name, null);
    }

    private long send(String name, byte[] value)
    {
        try {
            return producer.send(new ProducerRecord<>(topic, 0, name, value)).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogUnavailableException("interrupted while writing pipeline " + name + " to " + topic, e);
        }
        catch (ExecutionException e) {
            throw new CatalogUnavailableException("cannot write pipeline " + name + " to " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
        catch (TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new CatalogUnavailableException("timed out writing pipeline " + name + " to " + topic + " (is Kafka reachable?)", e);
        }
    }

    private void read()
    {
        try {
            createTopicWhenMissing();
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = retrying("read the end offset of " + topic, () -> consumer.endOffsets(List.of(partition)).get(partition));
            synchronized (this) {
                startEnd = end;
            }
            while (!closed) {
                pollOnce();
            }
        }
        catch (WakeupException e) {
            if (!closed) {
                log.error("Catalog reader of {} woken up unexpectedly; it stops", topic, e);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            synchronized (this) {
                closingConsumer = true;
            }
            // close() interrupts a reader waiting to retry, never one closing its consumer (which would log an error and
            // skip the fetch sessions' close); an interrupt that came before the flag is cleared here
            Thread.interrupted();
            try {
                consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            }
            catch (RuntimeException e) {
                log.debug("Catalog reader of {} did not close cleanly: {}", topic, e.toString());
            }
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void pollOnce()
            throws InterruptedException
    {
        try {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                apply(record);
            }
            updatePosition();
        }
        catch (WakeupException e) {
            throw e;
        }
        catch (RuntimeException e) {
            log.warn("Catalog reader of {} failed to poll ({}); retrying in {} s", topic, e.toString(), FIRST_RETRY.toSeconds());
            Thread.sleep(FIRST_RETRY.toMillis());
        }
    }

    private void updatePosition()
    {
        long position = consumer.position(partition);
        synchronized (this) {
            appliedPosition = position;
            if (!caughtUp && position >= startEnd) {
                caughtUp = true;
                log.info("Pipeline catalog {} read: {} entr{}", topic, entries.size(), entries.size() == 1 ? "y" : "ies");
            }
            notifyAll();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record)
    {
        String name = record.key();
        if (name == null) {
            log.error("Catalog record at offset {} of {} has no key (pipeline name): ignored", record.offset(), topic);
            return;
        }
        Optional<CatalogEntry> entry;
        try {
            entry = record.value() == null ? Optional.empty() : Optional.of(CatalogCodec.decode(name, record.value(), formats.supported()));
        }
        catch (CatalogRecordException e) {
            log.error("Catalog record at offset {} of {} ignored, pipeline {} keeps its last known entry: {}", record.offset(), topic, name, e.getMessage());
            return;
        }
        synchronized (this) {
            if (entry.isPresent()) {
                entries.put(name, entry.get());
            }
            else if (entries.remove(name) == null) {
                return; // a tombstone of a name never seen (compaction keeps tombstones a while)
            }
        }
        try {
            listener.changed(name, entry);
        }
        catch (RuntimeException e) {
            log.error("Applying the catalog change of pipeline {} (offset {}) failed", name, record.offset(), e);
        }
    }

    private void createTopicWhenMissing()
            throws InterruptedException
    {
        retrying("create the catalog topic " + topic, () -> {
            try (Admin admin = Admin.create(clientConfig)) {
                NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                try {
                    admin.createTopics(List.of(newTopic)).all().get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("Created the pipeline catalog topic {}", topic);
                }
                catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                    }
                }
                catch (TimeoutException e) {
                    throw new IllegalStateException("no answer from Kafka", e);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return null;
        });
    }

    /** Runs {@code step} until it succeeds or the log closes, backing off from 1 s to 10 s. */
    private <T> T retrying(String what, java.util.function.Supplier<T> step)
            throws InterruptedException
    {
        Duration backoff = FIRST_RETRY;
        while (true) {
            try {
                return step.get();
            }
            catch (WakeupException e) {
                throw e;
            }
            catch (RuntimeException e) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("catalog closed");
                }
                log.warn("Cannot {} ({}); retrying in {} s", what, e.getMessage(), backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public void close()
    {
        closed = true;
        consumer.wakeup();
        synchronized (this) {
            if (!closingConsumer) {
                reader.interrupt();
            }
        }
        try {
            reader.join(Duration.ofSeconds(10).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
