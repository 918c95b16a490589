package io.kaflowsql.engine.internal.plan;

import io.kaflowsql.engine.internal.expr.Evaluator;

import static java.util.Objects.requireNonNull;

/** One item of the SELECT list, in order: a named column, or every field of a source ({@code *}). */
public sealed interface OutputItem
{
    /**
     * A named output column.
     *
     * @param sql the expression as written, for plans
     * @param nullable false only when the compiler proves the value is never NULL
     */
    record Column(String name, Evaluator evaluator, SqlType type, boolean nullable, String sql)
            implements OutputItem
    {
        public Column
        {
            requireNonNull(name, "name is null");
            requireNonNull(evaluator, "evaluator is null");
            requireNonNull(type, "type is null");
            requireNonNull(sql, "sql is null");
        }
    }

    /**
     * Every field of a source in record order ({@code SELECT *} expands to one of these per source,
     * driving stream first; a field whose name is already in the output is skipped).
     */
    record AllColumns(int sourceIndex)
            implements OutputItem {}
}
