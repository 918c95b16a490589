package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.MetricSpec;
import io.kaflowsql.engine.api.MetricSpec.MetricType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * One declared metric bound to its output columns: takes the measured value and the label values out of
 * an output row and records into the series of those labels.
 *
 * <p>Thread-safe. Without labels the one series is resolved at construction and recording allocates
 * nothing. With labels, series are cached by their label values (one String for one label, a list for
 * more); a lookup is a lock-free map read, only a new combination takes the lock. After
 * {@link #MAX_SERIES} combinations, new ones record into a single series whose labels are all
 * {@link #OVERFLOW}, and one WARN is logged.
 */
final class DeclaredMetric
{
    private static final Logger LOG = LoggerFactory.getLogger(DeclaredMetric.class);

    static final int MAX_SERIES = 100;
    static final String OVERFLOW = "other";
    static final String NULL_LABEL = "null";
    /** Counts measured values that are not usable numbers (tags: pipeline, metric). */
    static final String SKIPPED = "kaflowsql_metric_values_skipped";
    private static final int NO_COLUMN = -1;

    private final MetricSpec metric;
    private final String pipeline;
    private final MeterRegistry registry;
    private final int columnIndex;
    private final int[] labelIndexes;
    private final MetricSeries unlabelled;
    private final Map<Object, MetricSeries> series = new ConcurrentHashMap<>();
    private final Counter skipped;
    /** Set once, under the lock, when the cap is reached; volatile so capped lookups skip the lock. */
    private volatile MetricSeries overflow;

    /** @param columnIndex index of the measured output column, -1 for a counter; same for {@code labelIndexes} */
    DeclaredMetric(MetricSpec metric, String pipeline, int columnIndex, int[] labelIndexes, MeterRegistry registry)
    {
        this.metric = requireNonNull(metric, "metric is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.columnIndex = metric.type() == MetricType.COUNTER ? NO_COLUMN : columnIndex;
        this.labelIndexes = labelIndexes.clone();
        this.unlabelled = this.labelIndexes.length == 0 ? MetricSeries.register(metric, Tags.of(MetricSpec.PIPELINE_TAG, pipeline), registry) : null;
        this.skipped = this.columnIndex == NO_COLUMN ? null
                : Counter.builder(SKIPPED).tags(MetricSpec.PIPELINE_TAG, pipeline, "metric", metric.name())
                        .description("Values of a declared metric's column that were not numbers it can record (NULLs are not counted)")
                        .register(registry);
    }

    void observe(Object[] values)
    {
        double amount = 0;
        if (columnIndex != NO_COLUMN) {
            Object value = values[columnIndex];
            if (value == null) {
                return;
            }
            amount = value instanceof Number number ? number.doubleValue() : Double.NaN;
            if (!accepts(amount)) {
                skipped.increment();
                return;
            }
        }
        seriesOf(values).record(amount);
    }

    /** Averages take any finite number; histograms record non-negative values that fit their unit. NaN: not a number. */
    private boolean accepts(double amount)
    {
        if (metric.type() == MetricType.HISTOGRAM) {
            return amount >= 0 && amount <= MetricSpec.MAX_HISTOGRAM_VALUE;
        }
        return Double.isFinite(amount);
    }

    private MetricSeries seriesOf(Object[] values)
    {
        if (unlabelled != null) {
            return unlabelled;
        }
        Object key;
        if (labelIndexes.length == 1) {
            key = label(values[labelIndexes[0]]);
        }
        else {
            String[] labels = new String[labelIndexes.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = label(values[labelIndexes[i]]);
            }
            key = Arrays.asList(labels);
        }
        MetricSeries found = series.get(key);
        if (found != null) {
            return found;
        }
        MetricSeries capped = overflow;
        return capped != null ? capped : newSeries(key);
    }

    private synchronized MetricSeries newSeries(Object key)
    {
        MetricSeries found = series.get(key);
        if (found != null) {
            return found;
        }
        if (series.size() < MAX_SERIES) {
            MetricSeries created = MetricSeries.register(metric, tags(labelValues(key)), registry);
            series.put(key, created);
            return created;
        }
        if (overflow == null) {
            LOG.warn("Metric {} of pipeline {} reached {} label combinations; further combinations are recorded with every label set to '{}'",
                    metric.name(), pipeline, MAX_SERIES, OVERFLOW);
            overflow = MetricSeries.register(metric, tags(Collections.nCopies(labelIndexes.length, OVERFLOW)), registry);
        }
        return overflow;
    }

    @SuppressWarnings("unchecked")
    private static List<String> labelValues(Object key)
    {
        return key instanceof String single ? List.of(single) : (List<String>) key;
    }

    private Tags tags(List<String> labelValues)
    {
        Tags tags = Tags.of(MetricSpec.PIPELINE_TAG, pipeline);
        for (int i = 0; i < labelValues.size(); i++) {
            tags = tags.and(metric.labels().get(i), labelValues.get(i));
        }
        return tags;
    }

    private static String label(Object value)
    {
        if (value == null) {
            return NULL_LABEL;
        }
        return value instanceof String text ? text : value.toString();
    }
}
