package io.kaflowsql.node.bench.streams;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Writes the benchmark's input before any engine starts, fast (one batched producer, acks=1, records keyed
 * and stamped as generated), so every engine reads the very same records. Stateless; thread-safe.
 */
final class Backlog
{
    private Backlog() {}

    /** Sends every record to its own topic, then flushes; throws if any failed. */
    static void write(String bootstrapServers, Stream<GeneratedRecord> records)
    {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> first = new AtomicReference<>();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            records.forEach(record -> producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), record.json()),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failed.incrementAndGet();
                            first.compareAndSet(null, exception);
                        }
                    }));
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be sent", first.get());
        }
    }
}
