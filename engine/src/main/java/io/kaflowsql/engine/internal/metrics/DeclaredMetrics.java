package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.MetricSpec;
import io.kaflowsql.engine.api.MetricSpec.MetricType;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The metrics a pipeline declares in its {@code metrics:} section (docs/reference/pipeline-metrics.md), registered
 * in a Micrometer registry and recorded from every emitted result. Meters are named as declared and
 * tagged {@code pipeline=<name>} plus one tag per label column:
 * <ul>
 *   <li>counter: a Counter (Prometheus: {@code <name>_total});</li>
 *   <li>average: a Gauge {@code <name>} with the mean since registration (NaN before the first value)
 *       and a FunctionCounter {@code <name>_samples} (Prometheus: {@code <name>_samples_total});</li>
 *   <li>histogram: a Timer with the buckets as service-level objectives, recording each value as that
 *       many seconds (Prometheus: {@code <name>_seconds_bucket/_count/_sum/_max}); see
 *       {@link MetricSeries#nanoUnits} for why not a DistributionSummary.</li>
 * </ul>
 * A NULL column value records nothing; a value that is not a usable number (a string in an untyped
 * column, NaN, a negative histogram value) increments {@code kaflowsql_metric_values_skipped}.
 *
 * <p>Lifecycle: {@link #register} once per pipeline and registry (a second call replaces the first one's
 * meters, which restart from zero), share the returned observer between the pipeline's tasks, and
 * {@link #unregister} when the pipeline stops on the node. Thread-safe: {@link #observe} may be called
 * from any number of task threads at once.
 */
public final class DeclaredMetrics
        implements OutputObserver
{
    private final DeclaredMetric[] metrics;

    private DeclaredMetrics(List<DeclaredMetric> metrics)
    {
        this.metrics = metrics.toArray(DeclaredMetric[]::new);
    }

    /**
     * Registers the meters of {@code pipeline}'s declared metrics (those without labels at once, labelled
     * series on their first value) and returns the observer that records them, or
     * {@link OutputObserver#NONE} when the pipeline declares no metrics.
     *
     * @throws IllegalArgumentException when a metric names a column that is not an explicit output column
     *         (impossible for a pipeline from {@code PipelineLoader}, which validates that)
     */
    public static OutputObserver register(CompiledPipeline pipeline, MeterRegistry registry)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(registry, "registry is null");
        List<MetricSpec> specs = pipeline.definition().metrics();
        if (specs.isEmpty()) {
            return OutputObserver.NONE;
        }
        List<OutputItem> outputs = pipeline.plan().outputs();
        int[] columns = new int[specs.size()];
        int[][] labels = new int[specs.size()][];
        for (int i = 0; i < specs.size(); i++) {
            MetricSpec spec = specs.get(i);
            columns[i] = spec.column().map(name -> indexOf(outputs, name, spec)).orElse(-1);
            labels[i] = spec.labels().stream().mapToInt(label -> indexOf(outputs, label, spec)).toArray();
        }
        unregister(pipeline, registry);
        List<DeclaredMetric> metrics = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            metrics.add(new DeclaredMetric(specs.get(i), pipeline.name(), columns[i], labels[i], registry));
        }
        return new DeclaredMetrics(metrics);
    }

    /** Removes every meter {@link #register} created for {@code pipeline} from {@code registry}. */
    public static void unregister(CompiledPipeline pipeline, MeterRegistry registry)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(registry, "registry is null");
        for (MetricSpec spec : pipeline.definition().metrics()) {
            List<String> names = spec.type() == MetricType.AVERAGE ? List.of(spec.name(), spec.samplesName()) : List.of(spec.name());
            for (String name : names) {
                List<Meter> meters = List.copyOf(registry.find(name).tag(MetricSpec.PIPELINE_TAG, pipeline.name()).meters());
                meters.forEach(registry::remove);
            }
            List.copyOf(registry.find(DeclaredMetric.SKIPPED).tags(MetricSpec.PIPELINE_TAG, pipeline.name(), "metric", spec.name()).meters())
                    .forEach(registry::remove);
        }
    }

    @Override
    public void observe(Object[] values)
    {
        for (DeclaredMetric metric : metrics) {
            metric.observe(values);
        }
    }

    private static int indexOf(List<OutputItem> outputs, String name, MetricSpec spec)
    {
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) instanceof OutputItem.Column column && column.name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("metric " + spec.name() + " uses '" + name + "', which is not an explicit output column");
    }
}
