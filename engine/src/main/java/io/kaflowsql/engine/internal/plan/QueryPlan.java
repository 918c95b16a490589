package io.kaflowsql.engine.internal.plan;

import io.kaflowsql.engine.internal.expr.Evaluator;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A query compiled against its sources: what to read, how to look up, what to filter and emit.
 * Immutable and thread-safe; compiled once per pipeline, evaluated per record.
 *
 * @param sources index 0 is the driving stream, then the joined sources in declaration order
 * @param where the WHERE predicate (TRUE passes; FALSE and NULL drop), or null when absent
 * @param whereSources indexes of the sources the WHERE clause reads
 * @param outputs the SELECT list in order
 */
public record QueryPlan(
        String sql,
        List<SourcePlan> sources,
        Evaluator where,
        Set<Integer> whereSources,
        List<OutputItem> outputs)
{
    public QueryPlan
    {
        requireNonNull(sql, "sql is null");
        sources = List.copyOf(requireNonNull(sources, "sources is null"));
        whereSources = Set.copyOf(requireNonNull(whereSources, "whereSources is null"));
        outputs = List.copyOf(requireNonNull(outputs, "outputs is null"));
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a query has at least a driving stream");
        }
    }

    public SourcePlan driving()
    {
        return sources.get(0);
    }

    public boolean hasStar()
    {
        return outputs.stream().anyMatch(OutputItem.AllColumns.class::isInstance);
    }
}
