package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceInfo;
import io.kaflowsql.engine.api.SourceRole;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.function.ToDoubleFunction;

import static java.util.Objects.requireNonNull;

/**
 * Exposes a pipeline's {@link PipelineMetrics} counters as Micrometer meters: function counters and
 * gauges that read the counters' current sums when scraped, so the hot path keeps its plain
 * {@code LongAdder} increments and pays nothing extra. Every meter is tagged {@code pipeline}; per-source
 * meters also {@code source} (see {@link #sourceTag}). See docs/reference/metrics.md for the list.
 *
 * <p>Thread-safe. {@link #close()} removes the meters.
 */
public final class PipelineMeterBinder
        implements AutoCloseable
{
    public static final String RECORDS_IN = "kaflowsql.records.in";
    public static final String RECORDS_OUT = "kaflowsql.records.out";
    public static final String RECORDS_FILTERED = "kaflowsql.records.filtered";
    public static final String RECORDS_HELD = "kaflowsql.records.held";
    public static final String RECORDS_RELEASED = "kaflowsql.records.released";
    public static final String HELD_EXPIRED = "kaflowsql.held.expired";
    public static final String EVENT_ROWS_EXPIRED = "kaflowsql.event.rows.expired";
    public static final String DEAD_LETTERS = "kaflowsql.dead.letters";
    public static final String JOIN_LOOKUPS = "kaflowsql.join.lookups";
    public static final String JOIN_HITS = "kaflowsql.join.hits";
    public static final String JOIN_HIT_RATE = "kaflowsql.join_hit_rate";
    public static final String COMMITS = "kaflowsql.commits";
    public static final String ABORTS = "kaflowsql.aborts";
    public static final String FENCED_TASKS = "kaflowsql.fenced.tasks";
    public static final String CHECKPOINTS = "kaflowsql.checkpoints";
    public static final String RESTORES = "kaflowsql.restores";
    public static final String RESTORED_RECORDS = "kaflowsql.restored.records";
    public static final String RESTORED_BYTES = "kaflowsql.restored.bytes";

    private final RegisteredMeters meters;

    private PipelineMeterBinder(RegisteredMeters meters)
    {
        this.meters = meters;
    }

    /** Registers the meters of pipeline {@code pipeline} over {@code metrics} in {@code registry}. */
    public static PipelineMeterBinder bind(MeterRegistry registry, String pipeline, PipelineMetrics metrics)
    {
        requireNonNull(registry, "registry is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(metrics, "metrics is null");
        PipelineMeterBinder binder = new PipelineMeterBinder(new RegisteredMeters(registry));
        Tags tags = Tags.of("pipeline", pipeline);
        List<SourceInfo> sources = metrics.sources();
        for (SourceInfo source : sources) {
            int index = source.index();
            Tags sourceTags = tags.and("source", sourceTag(sources, index));
            binder.counter(RECORDS_IN, "Input records read, per source (dimension records included)", sourceTags, metrics, m -> m.recordsIn(index));
            if (source.role() != SourceRole.DRIVING) {
                binder.counter(JOIN_LOOKUPS, "First lookups of driving records into this joined source", sourceTags, metrics, m -> m.lookups(index));
                binder.counter(JOIN_HITS, "First lookups into this joined source that found a row", sourceTags, metrics, m -> m.hits(index));
                binder.gauge(JOIN_HIT_RATE, "Share of first lookups into this joined source that found a row (NaN before any)", sourceTags,
                        metrics, m -> m.hitRate(index));
            }
        }
        binder.counter(RECORDS_OUT, "Results written to the output topic", tags, metrics, PipelineMetrics::recordsOut);
        binder.counter(RECORDS_FILTERED, "Driving records dropped by WHERE", tags, metrics, PipelineMetrics::filteredOut);
        binder.counter(RECORDS_HELD, "Driving records held by smart emission", tags, metrics, PipelineMetrics::heldCount);
        binder.counter(RECORDS_RELEASED, "Held records completed by a later arrival and emitted", tags, metrics, PipelineMetrics::releasedCount);
        binder.counter(HELD_EXPIRED, "Held records whose TTL passed", tags.and("outcome", "dropped"), metrics, PipelineMetrics::expiredDropped);
        binder.counter(HELD_EXPIRED, "Held records whose TTL passed", tags.and("outcome", "emitted"), metrics, PipelineMetrics::expiredEmitted);
        binder.counter(EVENT_ROWS_EXPIRED, "Event-table rows removed by TTL", tags, metrics, PipelineMetrics::expiredRows);
        for (RejectReason reason : RejectReason.values()) {
            binder.counter(DEAD_LETTERS, "Records sent to the dead-letter topic", tags.and("reason", reason.label()), metrics,
                    m -> m.rejectedCount(reason));
        }
        binder.counter(COMMITS, "Task commits (transactions under exactly-once)", tags, metrics, PipelineMetrics::commitCount);
        binder.counter(ABORTS, "Task transactions aborted after a retriable failure", tags, metrics, PipelineMetrics::abortCount);
        binder.counter(FENCED_TASKS, "Tasks stopped because another owner fenced them", tags, metrics, PipelineMetrics::fencedTaskCount);
        binder.counter(CHECKPOINTS, "Task state checkpoints written", tags, metrics, PipelineMetrics::checkpointCount);
        binder.counter(RESTORES, "Task state restores", tags, metrics, PipelineMetrics::restoreCount);
        binder.counter(RESTORED_RECORDS, "Changelog records replayed by restores", tags, metrics, PipelineMetrics::restoredRecords);
        binder.counter(RESTORED_BYTES, "Bytes of changelog records replayed by restores", tags, metrics, PipelineMetrics::restoredBytes);
        return binder;
    }

    /**
     * The {@code source} tag of source {@code index}: its topic, or {@code <topic>.<alias>} when the
     * pipeline reads the topic through several sources (a self-join), so their meters stay apart.
     */
    public static String sourceTag(List<SourceInfo> sources, int index)
    {
        SourceInfo source = sources.get(index);
        long sameTopic = sources.stream().filter(other -> other.topic().equals(source.topic())).count();
        return sameTopic > 1 ? source.topic() + "." + source.alias() : source.topic();
    }

    /** The meters registered (for tests and diagnostics). */
    public List<Meter> meters()
    {
        return meters.meters();
    }

    private void counter(String name, String description, Tags tags, PipelineMetrics metrics, ToDoubleFunction<PipelineMetrics> count)
    {
        meters.add(FunctionCounter.builder(name, metrics, count).description(description).tags(tags).register(meters.registry()));
    }

    private void gauge(String name, String description, Tags tags, PipelineMetrics metrics, ToDoubleFunction<PipelineMetrics> value)
    {
        meters.add(Gauge.builder(name, metrics, value).description(description).tags(tags).strongReference(true).register(meters.registry()));
    }

    @Override
    public void close()
    {
        meters.close();
    }
}
