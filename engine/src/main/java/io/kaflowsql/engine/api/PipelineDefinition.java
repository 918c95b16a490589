package io.kaflowsql.engine.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline as the user wrote it (one YAML file), before compilation. Immutable.
 *
 * @param window the default TTL of joined event tables when {@code state.events} does not say
 * @param metrics Prometheus metrics declared over output columns ({@code metrics:}), in file order; names
 *         unique and their exported names free of collisions
 */
public record PipelineDefinition(
        String name,
        Optional<Duration> window,
        String query,
        OutputSpec output,
        EmissionSpec emission,
        StateSpec state,
        List<MetricSpec> metrics)
{
    /** When no TTL is configured at all (no override, default_ttl or window). Shown by {@code validate}. */
    public static final Duration FALLBACK_TTL = Duration.ofHours(1);

    public PipelineDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(window, "window is null");
        requireNonNull(query, "query is null");
        requireNonNull(output, "output is null");
        requireNonNull(emission, "emission is null");
        requireNonNull(state, "state is null");
        metrics = List.copyOf(requireNonNull(metrics, "metrics is null"));
        Map<String, MetricSpec> exported = new HashMap<>();
        for (MetricSpec metric : metrics) {
            collision(exported, metric).ifPresent(message -> {
                throw new IllegalArgumentException(message);
            });
            metric.exportedNames().forEach(exportedName -> exported.put(exportedName, metric));
        }
    }

    /** A pipeline that declares no metrics. */
    public PipelineDefinition(String name, Optional<Duration> window, String query, OutputSpec output, EmissionSpec emission, StateSpec state)
    {
        this(name, window, query, output, emission, state, List.of());
    }

    /**
     * Why {@code metric} cannot join metrics that already export {@code exported} (exported name to its
     * metric): a duplicate name, or an exported name another metric exports too.
     */
    public static Optional<String> collision(Map<String, MetricSpec> exported, MetricSpec metric)
    {
        for (String exportedName : metric.exportedNames()) {
            MetricSpec other = exported.get(exportedName);
            if (other == null) {
                continue;
            }
            if (other.name().equals(metric.name())) {
                return Optional.of("metric name '" + metric.name() + "' is declared twice");
            }
            return Optional.of("metric '" + metric.name() + "' collides with metric '" + other.name() + "': both would export '"
                    + exportedName + "' to Prometheus; rename one");
        }
        return Optional.empty();
    }

    /** TTL of a topic's rows: its override, else {@code state.events.default_ttl}, else {@code window}. */
    public Duration ttlOf(String topic)
    {
        Duration override = state.overrides().get(topic);
        if (override != null) {
            return override;
        }
        return state.defaultTtl().or(() -> window).orElse(FALLBACK_TTL);
    }

    public PipelineDefinition withOutputFormat(OutputFormat format)
    {
        return new PipelineDefinition(name, window, query, output.withFormat(format), emission, state, metrics);
    }

    public PipelineDefinition withMetrics(List<MetricSpec> newMetrics)
    {
        return new PipelineDefinition(name, window, query, output, emission, state, newMetrics);
    }
}
