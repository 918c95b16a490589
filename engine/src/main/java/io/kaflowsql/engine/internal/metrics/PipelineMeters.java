package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.runtime.PipelineRuntime.State;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Every meter of one pipeline running on this node: the counters over {@link PipelineMetrics}
 * ({@link PipelineMeterBinder}), its lifecycle state, open tasks, dimension tables, latencies,
 * checkpoint and restore durations, and — through {@link #openTask} — per-task meters. All tagged
 * {@code pipeline}. Listed in docs/reference/metrics.md.
 *
 * <p>Latencies:
 * <ul>
 *   <li>end-to-end: wall-clock time when a result is handed to the producer minus the Kafka timestamp of
 *       the driving record it enriches (so a held record's latency includes the time it was held, and a
 *       replay of old data shows its age). A negative value (a producer clock ahead of ours) is ignored;</li>
 *   <li>processing: time the stream thread spent on a polled chunk of one partition divided by its records:
 *       one sample per chunk, so a record costs no clock read (timer updates cost more than 1 µs on a
 *       loaded VM; see {@link LatencyTimer}).</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} removes every meter (dimension gauges first, so no gauge keeps a
 * table alive after the pipeline closes it).
 */
public final class PipelineMeters
        implements AutoCloseable
{
    public static final String PIPELINE_STATE = "kaflowsql.pipeline.state";
    public static final String TASKS = "kaflowsql.tasks";
    public static final String DIMENSION_ROWS = "kaflowsql.dimension.rows";
    public static final String DIMENSION_SIZE = "kaflowsql.dimension.size";
    public static final String END_TO_END_LATENCY = "kaflowsql.end.to.end.latency";
    public static final String PROCESSING_LATENCY = "kaflowsql.processing.latency";
    public static final String CHECKPOINT_DURATION = "kaflowsql.checkpoint.duration";
    public static final String RESTORE_DURATION = "kaflowsql.restore.duration";

    private final MeterRegistry registry;
    private final Tags tags;
    private final PipelineMeterBinder counters;
    private final RegisteredMeters meters;
    private final ConsumerLagGauges dimensionLag;
    private final AtomicInteger openTasks = new AtomicInteger();
    private final LatencyTimer endToEnd;
    private final LatencyTimer processing;
    private final Timer checkpointDuration;
    private final Timer restoreDuration;

    private PipelineMeters(MeterRegistry registry, CompiledPipeline pipeline, PipelineMetrics metrics, Supplier<State> state, DimensionTable[] dimensions)
    {
        this.registry = registry;
        this.tags = Tags.of("pipeline", pipeline.name());
        this.counters = PipelineMeterBinder.bind(registry, pipeline.name(), metrics);
        this.meters = new RegisteredMeters(registry);
        this.dimensionLag = new ConsumerLagGauges(new RegisteredMeters(registry), tags);
        for (State value : State.values()) {
            meters.add(Gauge.builder(PIPELINE_STATE, state, current -> current.get() == value ? 1 : 0)
                    .description("1 for the pipeline's current lifecycle state, 0 for the others")
                    .tags(tags.and("state", value.name().toLowerCase(java.util.Locale.ROOT))).strongReference(true).register(registry));
        }
        meters.add(Gauge.builder(TASKS, openTasks, AtomicInteger::get).description("Tasks (partitions) open on this node")
                .tags(tags).strongReference(true).register(registry));
        List<SourceInfo> sources = pipeline.sources();
        for (SourceInfo source : sources) {
            DimensionTable table = dimensions[source.index()];
            if (table != null) {
                Tags sourceTags = tags.and("source", PipelineMeterBinder.sourceTag(sources, source.index()));
                meters.add(Gauge.builder(DIMENSION_ROWS, table, DimensionTable::size).description("Rows (join values) of a dimension table")
                        .tags(sourceTags).register(registry));
                meters.add(Gauge.builder(DIMENSION_SIZE, table, DimensionTable::approximateBytes).baseUnit("bytes")
                        .description("Approximate memory of a dimension table").tags(sourceTags).register(registry));
            }
        }
        this.endToEnd = new LatencyTimer(meters, END_TO_END_LATENCY,
                "Time from a driving record's Kafka timestamp until its result is handed to the producer", tags,
                millis(5), millis(10), millis(25), millis(50), millis(100), millis(250), millis(500),
                seconds(1), millis(2_500), seconds(5), seconds(10), seconds(30), seconds(60), seconds(300));
        this.processing = new LatencyTimer(meters, PROCESSING_LATENCY, "Stream-thread time per input record, averaged over each polled chunk", tags,
                micros(1), micros(2), micros(5), micros(10), micros(20), micros(50), micros(100), micros(200), micros(500),
                millis(1), millis(5), millis(10), millis(100));
        this.checkpointDuration = meters.add(Timer.builder(CHECKPOINT_DURATION).description("Time to write one task checkpoint")
                .tags(tags).register(registry));
        this.restoreDuration = meters.add(Timer.builder(RESTORE_DURATION)
                .description("Time to restore one task's state (checkpoint plus changelog tail)").tags(tags).register(registry));
    }

    /**
     * Registers the meters of {@code pipeline} in {@code registry}.
     *
     * @param state the pipeline's current state, read on every scrape (must be cheap and thread-safe)
     * @param dimensions the pipeline's dimension tables by source index (null for other sources)
     */
    public static PipelineMeters register(MeterRegistry registry, CompiledPipeline pipeline, PipelineMetrics metrics, Supplier<State> state,
            DimensionTable[] dimensions)
    {
        return new PipelineMeters(requireNonNull(registry, "registry is null"), requireNonNull(pipeline, "pipeline is null"),
                requireNonNull(metrics, "metrics is null"), requireNonNull(state, "state is null"), requireNonNull(dimensions, "dimensions is null"));
    }

    /** Monotonic nanoseconds of the registry's clock (the system's, unless a test injected one). */
    public long monotonicNanos()
    {
        return registry.config().clock().monotonicTime();
    }

    /** A result whose driving record has Kafka timestamp {@code recordTimestamp} was handed to the producer at {@code nowMillis}. */
    public void resultProduced(long recordTimestamp, long nowMillis)
    {
        long latency = nowMillis - recordTimestamp;
        if (latency >= 0) {
            endToEnd.record(latency, TimeUnit.MILLISECONDS);
        }
    }

    /** The stream thread spent {@code nanos} on {@code records} records of one polled chunk. */
    public void chunkProcessed(long nanos, int records)
    {
        if (records > 0 && nanos >= 0) {
            processing.record(nanos / records, TimeUnit.NANOSECONDS);
        }
    }

    public void checkpointWritten(long nanos)
    {
        checkpointDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void restored(long millis)
    {
        restoreDuration.record(millis, TimeUnit.MILLISECONDS);
    }

    /** Registers the meters of a task that just opened; close them when the task closes. */
    public TaskMeters openTask(int partition, List<TopicPartition> inputs)
    {
        requireNonNull(inputs, "inputs is null");
        openTasks.incrementAndGet();
        return new TaskMeters(new RegisteredMeters(registry), tags, partition, inputs, openTasks::decrementAndGet);
    }

    /** Lag gauges of the dimension consumer (sampled by the dimension loader's thread). */
    public ConsumerLagGauges dimensionLag()
    {
        return dimensionLag;
    }

    public int openTasks()
    {
        return openTasks.get();
    }

    @Override
    public void close()
    {
        meters.close();
        dimensionLag.close();
        counters.close();
    }

    private static Duration micros(long micros)
    {
        return Duration.ofNanos(micros * 1_000);
    }

    private static Duration millis(long millis)
    {
        return Duration.ofMillis(millis);
    }

    private static Duration seconds(long seconds)
    {
        return Duration.ofSeconds(seconds);
    }
}
