package io.kaflowsql.engine.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The meters of one open task (pipeline, partition): consumer lag of its input partitions, and the size
 * of its state store. Created when the task opens ({@link PipelineMeters#openTask}) and {@link #close()
 * closed} with it, which removes the meters, so a partition this node no longer processes reports nothing.
 *
 * <p>Gauges read values sampled by the task's thread ({@link #sampleLag}, {@link #sampleState}), never the
 * consumer or the store themselves: a scrape can neither race the stream thread nor keep a closed
 * RocksDB handle alive. NaN until first sampled.
 *
 * <p>Thread-safe.
 */
public final class TaskMeters
        implements AutoCloseable
{
    public static final String STATE_SIZE = "kaflowsql.state.size";
    public static final String STATE_KEYS = "kaflowsql.state.keys";
    public static final String HELD_RECORDS = "kaflowsql.held.records";

    private final RegisteredMeters meters;
    private final ConsumerLagGauges lag;
    private final Runnable onClose;
    private volatile double stateBytes = Double.NaN;
    private volatile double stateKeys = Double.NaN;
    private volatile double heldRecords = Double.NaN;
    private boolean closed;

    TaskMeters(RegisteredMeters meters, Tags pipelineTags, int partition, List<TopicPartition> inputs, Runnable onClose)
    {
        this.meters = requireNonNull(meters, "meters is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.lag = new ConsumerLagGauges(meters, pipelineTags);
        lag.track(inputs);
        Tags tags = pipelineTags.and("partition", Integer.toString(partition));
        meters.add(Gauge.builder(STATE_SIZE, this, task -> task.stateBytes).baseUnit("bytes").tags(tags).strongReference(true)
                .description("Approximate bytes of the task's state store (SST files and memtables)").register(meters.registry()));
        meters.add(Gauge.builder(STATE_KEYS, this, task -> task.stateKeys).tags(tags).strongReference(true)
                .description("Approximate event rows and held records in the task's state store").register(meters.registry()));
        meters.add(Gauge.builder(HELD_RECORDS, this, task -> task.heldRecords).tags(tags).strongReference(true)
                .description("Driving records currently held by smart emission").register(meters.registry()));
    }

    /** Samples the lag of the task's inputs; call on the consumer's thread. */
    public void sampleLag(Consumer<?, ?> consumer)
    {
        lag.sample(consumer);
    }

    /** Publishes the store's current size; call on the task's thread while the store is open. */
    public void sampleState(long bytes, long keys, long held)
    {
        stateBytes = bytes;
        stateKeys = keys;
        heldRecords = held;
    }

    public double lag(TopicPartition partition)
    {
        return lag.lag(partition);
    }

    /** The meters registered (for tests and diagnostics). */
    public List<Meter> meters()
    {
        return meters.meters();
    }

    /** Removes the task's meters. Idempotent. */
    @Override
    public void close()
    {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        meters.close();
        onClose.run();
    }
}
