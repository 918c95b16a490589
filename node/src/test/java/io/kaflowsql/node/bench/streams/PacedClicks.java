package io.kaflowsql.node.bench.streams;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Sends clicks of a dataset to one topic at a fixed rate on its own thread for a fixed time, each stamped
 * with the clock's time when it is sent (the latency is measured from that timestamp), with the generator's
 * producer settings ({@link TrafficProducer#producerConfig}) but no linger. The rate is kept per millisecond: every
 * millisecond the clicks due so far are sent.
 *
 * <p>Thread-safe: progress and failure are read through atomics; {@link #await} joins the sending thread.
 */
final class PacedClicks
{
    private final KafkaProducer<String, String> producer;
    private final PersonalizationDataset dataset;
    private final String topic;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private PacedClicks(String bootstrapServers, PersonalizationDataset dataset, String topic, Clock clock, double perSecond, Duration duration)
    {
        Map<String, Object> config = TrafficProducer.producerConfig(bootstrapServers);
        // no linger: a click leaves as soon as it is stamped, so the latency measured from its timestamp is the engine's
        // and the broker's, not the sender's own batching delay (5 ms in the generator's bulk settings)
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config);
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.thread = new Thread(() -> send(perSecond, duration), "bench-paced-clicks");
        this.thread.setDaemon(true);
    }

    /** Starts sending {@code perSecond} clicks per second to {@code topic} for {@code duration}. */
    static PacedClicks start(String bootstrapServers, PersonalizationDataset dataset, String topic, Clock clock, double perSecond, Duration duration)
    {
        PacedClicks clicks = new PacedClicks(bootstrapServers, dataset, topic, clock, perSecond, duration);
        clicks.thread.start();
        return clicks;
    }

    private void send(double perSecond, Duration duration)
    {
        try {
            long start = System.nanoTime();
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
                long due = (long) (perSecond * elapsed / 1e9);
                while (sent.get() < due) {
                    long now = clock.millis();
                    GeneratedRecord click = dataset.nextClick(now);
                    producer.send(new ProducerRecord<>(topic, null, now, click.key(), click.json()), (metadata, exception) -> {
                        if (exception != null) {
                            failed.incrementAndGet();
                            failure.compareAndSet(null, exception);
                        }
                    });
                    sent.incrementAndGet();
                }
                Thread.sleep(1);
            }
            producer.flush();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
        finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Waits until every click was sent and acknowledged; returns how many; throws if any failed. */
    long await()
            throws InterruptedException
    {
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException(failed.get() + " clicks could not be sent to " + topic, failure.get());
        }
        return sent.get();
    }
}
