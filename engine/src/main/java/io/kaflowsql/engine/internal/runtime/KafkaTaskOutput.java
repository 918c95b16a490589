package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.internal.operator.TaskOutput;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Sends a pipeline's results to Kafka. A failed send is remembered and surfaces at the next
 * {@link #checkSends()}, before offsets are committed, so a lost output is never acknowledged.
 * Rejected records are counted and logged (the dead-letter topic arrives with exactly-once).
 *
 * <p>Used from the stream thread; send callbacks run on the producer's I/O thread.
 */
final class KafkaTaskOutput
        implements TaskOutput
{
    private static final Logger log = LoggerFactory.getLogger(KafkaTaskOutput.class);

    private final String pipeline;
    private final Producer<String, byte[]> producer;
    private final PipelineMetrics metrics;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();

    KafkaTaskOutput(String pipeline, Producer<String, byte[]> producer, PipelineMetrics metrics)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.producer = requireNonNull(producer, "producer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void emit(OutputRecord record)
    {
        producer.send(new ProducerRecord<>(record.topic(), null, record.timestamp(), record.key(), record.value()), (metadata, error) -> {
            if (error != null) {
                sendFailure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void reject(InputRecord input, RejectReason reason, String detail)
    {
        metrics.rejected(reason);
        log.warn("Pipeline {} skipped record {}: {} ({})", pipeline, input == null ? "(held)" : input, reason.label(), detail);
    }

    /** Throws the first send failure since the last check. Call after {@code producer.flush()}. */
    void checkSends()
    {
        Exception failure = sendFailure.getAndSet(null);
        if (failure != null) {
            throw new IllegalStateException("sending results of pipeline " + pipeline + " failed: " + failure.getMessage(), failure);
        }
    }
}
