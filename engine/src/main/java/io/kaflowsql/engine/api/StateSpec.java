package io.kaflowsql.engine.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Collections.unmodifiableMap;
import static java.util.Objects.requireNonNull;

/**
 * How joined sources are kept.
 *
 * @param defaultTtl TTL of event-table rows (and held driving records) without an override
 * @param overrides per-topic TTLs, in file order
 * @param dimensions topics kept as dimensions: never expire, replicated to every node
 */
public record StateSpec(Optional<Duration> defaultTtl, Map<String, Duration> overrides, List<String> dimensions)
{
    public static final StateSpec EMPTY = new StateSpec(Optional.empty(), Map.of(), List.of());

    public StateSpec
    {
        requireNonNull(defaultTtl, "defaultTtl is null");
        overrides = unmodifiableMap(new LinkedHashMap<>(requireNonNull(overrides, "overrides is null")));
        dimensions = List.copyOf(requireNonNull(dimensions, "dimensions is null"));
    }
}
