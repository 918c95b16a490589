package io.kaflowsql.engine.api;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline as the user wrote it (one YAML file), before compilation. Immutable.
 *
 * @param window the default TTL of joined event tables when {@code state.events} does not say
 */
public record PipelineDefinition(
        String name,
        Optional<Duration> window,
        String query,
        OutputSpec output,
        EmissionSpec emission,
        StateSpec state)
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
        return new PipelineDefinition(name, window, query, output.withFormat(format), emission, state);
    }
}
