package io.kaflowsql.engine.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A source of a compiled pipeline as users see it in plans.
 *
 * @param index position in the query (0 = driving stream, then joins in order)
 * @param joinOn for a joined source, {@code <key expression> = <alias>.<column>}
 * @param ttl row lifetime for event tables and held driving records; empty for dimensions
 * @param columns the columns the query reads (projection pushdown); {@code *} when all are kept
 */
public record SourceInfo(
        int index,
        String topic,
        String alias,
        SourceRole role,
        Optional<String> joinOn,
        Optional<Duration> ttl,
        List<String> columns)
{
    public SourceInfo
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(alias, "alias is null");
        requireNonNull(role, "role is null");
        requireNonNull(joinOn, "joinOn is null");
        requireNonNull(ttl, "ttl is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }
}
