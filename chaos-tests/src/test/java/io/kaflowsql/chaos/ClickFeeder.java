package io.kaflowsql.chaos;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Writes records to Kafka on its own thread at a steady rate, so the node under test is killed
 * while input keeps arriving. The scenario {@link #release releases} the records in portions, one per
 * node incarnation, so every incarnation gets fresh input however slowly the machine starts JVMs. Records keep their key (so clicks land on the partition of their
 * {@code user_id}) and their event time. The producer is idempotent with {@code acks=all}: the input
 * itself is written exactly once, so every loss or duplicate seen in the output is the node's. It retries for
 * {@value #DELIVERY_TIMEOUT_MINUTES} minutes, so a bounced or paused broker only delays the input. The time each
 * record was acknowledged is kept ({@link #ackedAtNanos}), for the checker's latencies and dimension versions.
 *
 * <p>Thread-safe: progress is read through atomics; {@link #close()} may be called from any thread.
 */
final class ClickFeeder
        implements AutoCloseable
{
    private static final long TICK_MILLIS = 20;
    private static final int DELIVERY_TIMEOUT_MINUTES = 10;

    private final List<GeneratedRecord> records;
    private final double recordsPerSecond;
    private final KafkaProducer<String, String> producer;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final AtomicLongArray ackedAt;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    ClickFeeder(String bootstrapServers, List<GeneratedRecord> records, double recordsPerSecond)
    {
        this.records = List.copyOf(requireNonNull(records, "records is null"));
        this.recordsPerSecond = recordsPerSecond;
        this.producer = producer(bootstrapServers);
        this.ackedAt = new AtomicLongArray(this.records.size());
        this.thread = new Thread(this::feed, "chaos-click-feeder");
        this.thread.setDaemon(true);
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers)
    {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MINUTES * 60_000),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(DELIVERY_TIMEOUT_MINUTES * 60_000),
                ProducerConfig.LINGER_MS_CONFIG, "5"),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Writes {@code records} and waits until each is acknowledged; for the joined rows written before
     * the node starts. Not idempotent on purpose: right after topic creation an idempotent producer
     * can get stuck retrying OUT_OF_ORDER_SEQUENCE_NUMBER after a NOT_LEADER_OR_FOLLOWER; with one
     * request in flight order is kept, and a repeated upsert of the same row changes nothing.
     */
    static void writeAll(String bootstrapServers, List<GeneratedRecord> records)
            throws InterruptedException
    {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1",
                ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = records.stream().map(record -> producer.send(toProducerRecord(record))).toList();
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("writing the joined rows failed", e.getCause());
        }
    }

    void start()
    {
        thread.start();
    }

    private void feed()
    {
        long lastTick = System.nanoTime();
        double budget = 0;
        try {
            int next = 0;
            while (next < records.size() && !stopped) {
                long now = System.nanoTime();
                // at most two ticks' worth of credit: after waiting for a release, resume at the rate, no burst
                budget = Math.min(budget + (now - lastTick) / 1e9 * recordsPerSecond, 2 * TICK_MILLIS / 1000.0 * recordsPerSecond + 1);
                lastTick = now;
                int due = (int) Math.min(released.get(), next + Math.floor(budget));
                budget -= due - next;
                for (; next < due; next++) {
                    int index = next;
                    producer.send(toProducerRecord(records.get(next)), (metadata, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        else {
                            ackedAt.set(index, System.nanoTime());
                        }
                    });
                }
                producer.flush();
                sent.set(next);
                Thread.sleep(TICK_MILLIS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /**
     * Lets the feeder write up to the first {@code count} records (at its rate); never lowers the limit.
     * Nothing is written before the first release.
     */
    void release(int count)
    {
        released.accumulateAndGet(Math.min(count, records.size()), Math::max);
    }

    /** Whether everything released so far was written. */
    boolean caughtUpWithRelease()
    {
        return sent.get() >= released.get();
    }

    private static ProducerRecord<String, String> toProducerRecord(GeneratedRecord record)
    {
        return new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), record.json());
    }

    /** {@link System#nanoTime} when record {@code index} was acknowledged; 0 if it was not (yet). */
    long ackedAtNanos(int index)
    {
        return ackedAt.get(index);
    }

    /** The records this feeder writes, in order. */
    List<GeneratedRecord> records()
    {
        return records;
    }

    /**
     * Stops writing after the records written so far (a run that ends before its input does) and waits until they are
     * acknowledged; {@link #sent} then counts exactly what was written.
     */
    void halt(Duration timeout)
            throws InterruptedException
    {
        stopped = true;
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()));
        if (thread.isAlive()) {
            throw new IllegalStateException("the feeder did not stop within " + timeout + " (" + sent() + " records written)");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the input failed after " + sent() + " records", failure.get());
        }
    }

    /** Records acknowledged by the broker so far. */
    int sent()
    {
        return sent.get();
    }

    int total()
    {
        return records.size();
    }

    /** Waits until every record is acknowledged; throws if writing failed or the timeout passed. */
    void awaitDone(Duration timeout)
            throws InterruptedException
    {
        thread.join(TimeUnit.NANOSECONDS.toMillis(timeout.toNanos()));
        if (failure.get() != null) {
            throw new IllegalStateException("writing the input failed after " + sent() + " records", failure.get());
        }
        if (sent() < records.size()) {
            throw new IllegalStateException("input not written within " + timeout + ": " + sent() + " of " + records.size());
        }
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopped = true;
        thread.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
