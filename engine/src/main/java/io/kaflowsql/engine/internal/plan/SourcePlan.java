package io.kaflowsql.engine.internal.plan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One source of a query and the columns of it the query reads (projection pushdown).
 *
 * @param index position in the evaluation frame (0 = driving stream, then joins in order)
 * @param topic the Kafka topic (the table name in the query)
 * @param alias the alias in the query, or the topic when none was given
 * @param columns referenced columns; slot i of this source's row holds {@code columns.get(i)}
 * @param keepAllColumns true when {@code SELECT *} (or {@code alias.*}) needs every field: the
 *        decoded row then carries, after the column slots, one extra slot holding a
 *        {@code LinkedHashMap<String, Object>} of all fields in record order
 * @param join how to look this source up; null for the driving stream
 */
public record SourcePlan(
        int index,
        String topic,
        String alias,
        List<String> columns,
        boolean keepAllColumns,
        JoinPlan join)
{
    public SourcePlan
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(alias, "alias is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        if (index == 0 && join != null) {
            throw new IllegalArgumentException("the driving stream has no join");
        }
        if (index > 0 && join == null) {
            throw new IllegalArgumentException("joined source " + alias + " has no join");
        }
    }

    public boolean isDriving()
    {
        return index == 0;
    }

    /** Slot of a column, or -1 when the query does not reference it. */
    public int slotOf(String column)
    {
        return columns.indexOf(column);
    }

    /** Slot of every column by name, for decoders that meet fields by name. */
    public Map<String, Integer> slotsByName()
    {
        Map<String, Integer> slots = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            slots.put(columns.get(i), i);
        }
        return Map.copyOf(slots);
    }

    /** Length of a decoded row of this source: the column slots plus the all-fields slot if kept. */
    public int rowWidth()
    {
        return columns.size() + (keepAllColumns ? 1 : 0);
    }
}
