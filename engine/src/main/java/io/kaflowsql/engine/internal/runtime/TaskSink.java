package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.operator.TaskOutput;
import io.kaflowsql.engine.internal.state.ChangeLogger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * Everything one task writes, through its {@link TaskProducer} (so, under exactly-once, in its
 * transaction): results to the output topic, rejected records to the dead-letter topic, and state
 * changes to the task's partition of the changelog topic. Each result handed to the producer records its
 * end-to-end latency (wall clock now minus the driving record's timestamp). Confined to the task's thread.
 */
final class TaskSink
        implements TaskOutput, ChangeLogger
{
    private static final Logger log = LoggerFactory.getLogger(TaskSink.class);
    /**
     * Largest result sent: below the producer's default {@code max.request.size} and the broker's default
     * {@code max.message.bytes} (1 MiB) with room for headers. A larger result would fail its send, abort
     * the transaction, and fail again on every retry; it is dead-lettered instead.
     */
    static final int MAX_RESULT_BYTES = 1_000_000;

    private final String pipeline;
    private final TaskProducer producer;
    private final PipelineMetrics metrics;
    private final DeadLetters deadLetters;
    private final String changelogTopic;
    private final int partition;
    private final PipelineMeters meters;
    private final Clock clock;

    TaskSink(String pipeline, TaskProducer producer, PipelineMetrics metrics, DeadLetters deadLetters, String changelogTopic, int partition,
            PipelineMeters meters, Clock clock)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.producer = requireNonNull(producer, "producer is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.changelogTopic = requireNonNull(changelogTopic, "changelogTopic is null");
        this.partition = partition;
        this.meters = requireNonNull(meters, "meters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void emit(OutputRecord record)
    {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        int size = record.value().length + (key == null ? 0 : key.length);
        if (size > MAX_RESULT_BYTES) {
            reject(null, RejectReason.UNENCODABLE_OUTPUT, "the result for key '" + record.key() + "' is " + size
                    + " bytes, more than the " + MAX_RESULT_BYTES + " a Kafka record may have by default");
            return;
        }
        producer.send(new ProducerRecord<>(record.topic(), null, record.timestamp(), key, record.value()));
        meters.resultProduced(record.timestamp(), clock.millis());
    }

    @Override
    public void reject(InputRecord input, RejectReason reason, String detail)
    {
        metrics.rejected(reason);
        if (log.isDebugEnabled()) {
            log.debug("Pipeline {} dead-lettered {}: {} ({})", pipeline, input == null ? "a held record" : input, reason.label(), detail);
        }
        producer.send(deadLetters.record(input, reason, detail));
    }

    @Override
    public void append(byte[] key, byte[] value)
    {
        producer.send(new ProducerRecord<>(changelogTopic, partition, null, key, value));
    }
}
