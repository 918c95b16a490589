package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.ColumnRef;
import io.kaflowsql.engine.internal.plan.JoinPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The sources of the query being compiled and the columns referenced of each, in first-reference
 * order (which fixes the slot numbers). Resolves column identifiers: {@code alias.col}, or an
 * unqualified {@code col}, which belongs to the only source or, with several, to the driving stream.
 * Not thread-safe: lives for one {@link QueryCompiler#compile} call.
 */
final class SourceScope
{
    /** A resolved column reference. */
    record ResolvedColumn(int sourceIndex, String column) {}

    private static final class Source
    {
        final String topic;
        final String alias;
        final Map<String, Integer> slots = new LinkedHashMap<>();
        boolean keepAllColumns;

        Source(String topic, String alias)
        {
            this.topic = topic;
            this.alias = alias;
        }
    }

    private final QueryText text;
    private final List<Source> sources = new ArrayList<>();
    private Set<Integer> captured;

    SourceScope(QueryText text)
    {
        this.text = requireNonNull(text, "text is null");
    }

    int add(String topic, String alias, SqlParserPos pos)
            throws SqlCompileException
    {
        for (Source source : sources) {
            if (source.alias.equals(alias)) {
                throw text.error(pos, "Duplicate source alias '" + alias + "'", "give each joined topic its own alias");
            }
        }
        sources.add(new Source(topic, alias));
        return sources.size() - 1;
    }

    int size()
    {
        return sources.size();
    }

    String alias(int index)
    {
        return sources.get(index).alias;
    }

    /** Index of the source with this alias, or an error listing the known aliases. */
    int indexOf(String alias, SqlParserPos pos)
            throws SqlCompileException
    {
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).alias.equals(alias)) {
                return i;
            }
        }
        String known = sources.stream().map(source -> source.alias).collect(Collectors.joining(", "));
        throw text.error(pos, "Unknown source alias '" + alias + "'", "known aliases: " + known);
    }

    ResolvedColumn resolve(SqlIdentifier identifier)
            throws SqlCompileException
    {
        List<String> names = identifier.names;
        if (names.size() == 1) {
            return new ResolvedColumn(0, names.get(0));
        }
        if (names.size() == 2) {
            return new ResolvedColumn(indexOf(names.get(0), identifier.getParserPosition()), names.get(1));
        }
        throw text.error(identifier.getParserPosition(), "Nested field access '" + String.join(".", names) + "' is not supported",
                "select the whole field (alias.column) instead");
    }

    /** Resolves a column, registers it for pushdown and returns the evaluator reading its slot. */
    ColumnRef reference(SqlIdentifier identifier)
            throws SqlCompileException
    {
        ResolvedColumn column = resolve(identifier);
        return new ColumnRef(column.sourceIndex(), register(column));
    }

    int register(ResolvedColumn column)
    {
        Source source = sources.get(column.sourceIndex());
        if (captured != null) {
            captured.add(column.sourceIndex());
        }
        return source.slots.computeIfAbsent(column.column(), name -> source.slots.size());
    }

    void keepAllColumns(int index)
    {
        sources.get(index).keepAllColumns = true;
    }

    /** Starts recording which sources the expressions compiled from now on read. */
    void startCapture()
    {
        captured = new HashSet<>();
    }

    Set<Integer> stopCapture()
    {
        Set<Integer> result = captured;
        captured = null;
        return result;
    }

    /** @param joins the join of each source by index; entry 0 (the driving stream) is null */
    List<SourcePlan> toPlans(List<JoinPlan> joins)
    {
        List<SourcePlan> plans = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source source = sources.get(i);
            plans.add(new SourcePlan(i, source.topic, source.alias, List.copyOf(source.slots.keySet()), source.keepAllColumns, joins.get(i)));
        }
        return plans;
    }
}
