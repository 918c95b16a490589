package io.kaflowsql.engine.api;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A Prometheus metric a pipeline declares over its output columns (one entry of {@code metrics:} in the
 * pipeline YAML; docs/reference/pipeline-metrics.md). Every emitted result records once. Immutable; the constructor
 * enforces every rule that does not need the compiled query (whether {@code column} and {@code labels}
 * are output columns is checked when the pipeline is loaded).
 *
 * <p>The static {@code ...Problem} methods are the same rules as messages, so the pipeline reader can
 * report a broken value at its key instead of failing in this constructor.
 *
 * @param column the output column measured; required for averages and histograms, absent for counters
 * @param labels output columns whose values become Prometheus labels (at most {@link #MAX_LABELS})
 * @param buckets histogram upper bounds, ascending; {@link #DEFAULT_BUCKETS} when a histogram gives none;
 *         empty for other types
 */
public record MetricSpec(
        String name,
        MetricType type,
        Optional<String> column,
        List<String> labels,
        List<Double> buckets,
        Optional<String> description)
{
    /** What a declared metric records. */
    public enum MetricType
    {
        /** Counts emitted results. */
        COUNTER,
        /** Mean of a numeric column since the node started, plus its sample count. */
        AVERAGE,
        /** Distribution of a numeric column over fixed buckets. */
        HISTOGRAM;

        public String yamlName()
        {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<MetricType> parse(String text)
        {
            for (MetricType type : values()) {
                if (type.yamlName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    public static final int MAX_LABELS = 3;
    /** Names of the node's own metrics start with this; declared metrics may not. */
    public static final String RESERVED_PREFIX = "kaflowsql_";
    /** The tag every declared meter carries, valued with the pipeline name. */
    public static final String PIPELINE_TAG = "pipeline";
    /** Prometheus' client default buckets. */
    public static final List<Double> DEFAULT_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    /**
     * Histograms record in nanosecond units (see {@code DeclaredMetrics}), so bounds and values must fit a
     * {@code long} of billionths: at most about 9.2e9.
     */
    public static final double MAX_HISTOGRAM_VALUE = Long.MAX_VALUE / 1e9;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Prometheus' client strips these from gauge and histogram names, and owns them for counters. */
    private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");
    /** Tag keys the exporter uses itself. */
    private static final Set<String> RESERVED_LABELS = Set.of(PIPELINE_TAG, "le", "quantile");

    public MetricSpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(column, "column is null");
        labels = List.copyOf(requireNonNull(labels, "labels is null"));
        buckets = List.copyOf(requireNonNull(buckets, "buckets is null"));
        requireNonNull(description, "description is null");
        nameProblem(name).ifPresent(MetricSpec::fail);
        columnProblem(type, column.isPresent()).ifPresent(MetricSpec::fail);
        labelsProblem(labels).ifPresent(MetricSpec::fail);
        if (type != MetricType.HISTOGRAM && !buckets.isEmpty()) {
            fail(bucketsNotAllowed(type));
        }
        if (type == MetricType.HISTOGRAM) {
            buckets = buckets.isEmpty() ? DEFAULT_BUCKETS : buckets;
            bucketsProblem(buckets).ifPresent(MetricSpec::fail);
        }
    }

    public static Optional<String> nameProblem(String name)
    {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("a metric name is a Prometheus name: a letter, '_' or ':' followed by letters, digits, '_' and ':', got '" + name + "'");
        }
        if (name.startsWith("__")) {
            return Optional.of("names starting with '__' are reserved by Prometheus, got '" + name + "'");
        }
        if (name.startsWith(RESERVED_PREFIX)) {
            return Optional.of("names starting with '" + RESERVED_PREFIX + "' are the node's own metrics; choose another name than '" + name + "'");
        }
        for (String suffix : RESERVED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return Optional.of("Prometheus reserves the suffix '" + suffix + "' (the exporter adds _total to counters itself); rename '" + name + "'");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> columnProblem(MetricType type, boolean hasColumn)
    {
        if (type == MetricType.COUNTER && hasColumn) {
            return Optional.of("a counter counts emitted results and takes no 'column'; remove it, or use type average or histogram");
        }
        if (type != MetricType.COUNTER && !hasColumn) {
            return Optional.of("a metric of type " + type.yamlName() + " needs 'column': the numeric output column it measures");
        }
        return Optional.empty();
    }

    /** The first problem of a label list: too long, a bad label name, or a label listed twice. */
    public static Optional<String> labelsProblem(List<String> labels)
    {
        if (labels.size() > MAX_LABELS) {
            return Optional.of("at most " + MAX_LABELS + " labels per metric (each adds series), got " + labels.size());
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            Optional<String> problem = labelProblem(label);
            if (problem.isPresent()) {
                return problem;
            }
            if (!seen.add(label)) {
                return Optional.of("label '" + label + "' is listed twice");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> labelProblem(String label)
    {
        if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
            return Optional.of("a label is an output column whose name is a Prometheus label name (letters, digits and '_', "
                    + "not starting with a digit or '__'), got '" + label + "'; rename the column with AS");
        }
        if (RESERVED_LABELS.contains(label)) {
            return Optional.of("'" + label + "' is a label the exporter sets itself; rename the column with AS");
        }
        return Optional.empty();
    }

    public static String bucketsNotAllowed(MetricType type)
    {
        return "'buckets' only applies to type histogram, not " + type.yamlName() + "; remove it";
    }

    public static Optional<String> bucketsProblem(List<Double> buckets)
    {
        long previous = 0;
        for (int i = 0; i < buckets.size(); i++) {
            double bound = buckets.get(i);
            Optional<String> problem = bucketProblem(bound);
            if (problem.isPresent()) {
                return problem;
            }
            long nanos = Math.round(bound * 1e9);
            if (i > 0 && nanos <= previous) {
                return Optional.of("buckets must be ascending: " + bound + " follows " + buckets.get(i - 1));
            }
            previous = nanos;
        }
        return Optional.empty();
    }

    public static Optional<String> bucketProblem(double bound)
    {
        if (!(bound >= 1e-9 && bound <= MAX_HISTOGRAM_VALUE)) {
            return Optional.of("a bucket bound is a number from 1e-9 to 9.2e9 (histograms record non-negative values "
                    + "at nanosecond-unit resolution; +Inf is always added), got " + bound);
        }
        return Optional.empty();
    }

    /**
     * Every name this metric occupies in the Prometheus exposition (families and their samples), so two
     * declarations can be checked for collisions: Prometheus' client rejects overlapping families.
     */
    public Set<String> exportedNames()
    {
        Set<String> names = new LinkedHashSet<>();
        switch (type) {
            case COUNTER -> names.addAll(List.of(name, name + "_total", name + "_created"));
            case AVERAGE -> names.addAll(List.of(name, samplesName(), samplesName() + "_total", samplesName() + "_created"));
            case HISTOGRAM -> {
                String base = histogramBaseName();
                names.addAll(List.of(base, base + "_bucket", base + "_count", base + "_sum", base + "_created", base + "_max"));
            }
        }
        return names;
    }

    /** Micrometer name of an average's sample counter (exported as {@code <name>_samples_total}). */
    public String samplesName()
    {
        return name + "_samples";
    }

    /**
     * Prometheus family of a histogram: {@code <name>_seconds}. Histograms are Micrometer timers, which the
     * Prometheus registry always suffixes with {@code _seconds} (unless the name already ends so).
     */
    public String histogramBaseName()
    {
        return name.endsWith("_seconds") ? name : name + "_seconds";
    }

    private static void fail(String message)
    {
        throw new IllegalArgumentException(message);
    }
}
