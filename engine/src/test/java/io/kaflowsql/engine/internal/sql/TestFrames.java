package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds evaluation frames the way the runtime does: slots in {@code SourcePlan.columns()} order. */
final class TestFrames
{
    private TestFrames() {}

    /** @param rowsByAlias a JSON-like row per source alias; an absent alias is a missed lookup */
    static Object[][] frame(QueryPlan plan, Map<String, Map<String, Object>> rowsByAlias)
    {
        Object[][] frame = new Object[plan.sources().size()][];
        for (SourcePlan source : plan.sources()) {
            Map<String, Object> row = rowsByAlias.get(source.alias());
            if (row == null) {
                continue;
            }
            Object[] slots = new Object[source.rowWidth()];
            for (int slot = 0; slot < source.columns().size(); slot++) {
                slots[slot] = row.get(source.columns().get(slot));
            }
            if (source.keepAllColumns()) {
                slots[source.columns().size()] = new LinkedHashMap<>(row);
            }
            frame[source.index()] = slots;
        }
        return frame;
    }

    static OutputItem.Column column(QueryPlan plan, String name)
    {
        return plan.outputs().stream()
                .filter(OutputItem.Column.class::isInstance)
                .map(OutputItem.Column.class::cast)
                .filter(column -> column.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no output column " + name));
    }

    static Object evaluate(QueryPlan plan, String name, Object[][] frame)
    {
        return column(plan, name).evaluator().evaluate(frame);
    }
}
