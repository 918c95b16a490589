package io.kaflowsql.node.bench;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Sends generated clicks of a {@link PersonalizationDataset} to a topic of the caller's choice (the
 * generator's own producer always writes {@code clickstreams}), stamped with the clock's time at send,
 * either as fast as possible or paced at a fixed rate.
 *
 * <p>Not thread-safe (the dataset's click stream is single-threaded): use from one thread.
 */
final class ClickSender
        implements AutoCloseable
{
    private final KafkaProducer<String, String> producer;
    private final PersonalizationDataset dataset;
    private final String topic;
    private final Clock clock;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    ClickSender(String bootstrapServers, PersonalizationDataset dataset, String topic, Clock clock)
    {
        this.producer = new KafkaProducer<>(TrafficProducer.producerConfig(bootstrapServers));
        this.dataset = requireNonNull(dataset, "dataset is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Sends {@code count} clicks as fast as the producer takes them, then flushes. */
    void sendAll(long count)
    {
        for (long i = 0; i < count; i++) {
            send();
        }
        flushAndCheck();
    }

    /** Sends clicks at {@code perSecond} for {@code duration} (checked every millisecond), then flushes; returns how many. */
    long sendPaced(double perSecond, Duration duration)
            throws InterruptedException
    {
        long start = System.nanoTime();
        long sent = 0;
        long elapsed;
        while ((elapsed = System.nanoTime() - start) < duration.toNanos()) {
            long due = (long) (perSecond * elapsed / 1e9);
            while (sent < due) {
                send();
                sent++;
            }
            Thread.sleep(1);
        }
        flushAndCheck();
        return sent;
    }

    private void send()
    {
        long now = clock.millis();
        GeneratedRecord click = dataset.nextClick(now);
        producer.send(new ProducerRecord<>(topic, null, now, click.key(), click.json()), (metadata, exception) -> {
            if (exception != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, exception);
            }
        });
    }

    private void flushAndCheck()
    {
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " clicks could not be sent to " + topic, firstFailure.get());
        }
    }

    @Override
    public void close()
    {
        producer.close(Duration.ofSeconds(10));
    }
}
