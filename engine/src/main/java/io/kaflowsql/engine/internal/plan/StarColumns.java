package io.kaflowsql.engine.internal.plan;

import java.util.List;
import java.util.Map;

/**
 * The {@code SELECT *} (or {@code alias.*}) items of a query: which sources they expand, and how a
 * column they contribute is looked up in a frame. A star source's row keeps all its fields in a map in
 * its last slot; the first source (in SELECT order) with a non-null value wins.
 *
 * <p>Immutable and thread-safe.
 */
public final class StarColumns
{
    private final int[] sources;

    private StarColumns(int[] sources)
    {
        this.sources = sources;
    }

    public static StarColumns of(List<OutputItem> items)
    {
        return new StarColumns(items.stream()
                .filter(OutputItem.AllColumns.class::isInstance)
                .mapToInt(item -> ((OutputItem.AllColumns) item).sourceIndex())
                .toArray());
    }

    /** The value of column {@code name} from the star sources of {@code frame}, or null. */
    public Object valueOf(Object[][] frame, String name)
    {
        for (int source : sources) {
            Object[] row = frame[source];
            if (row != null) {
                Object value = ((Map<?, ?>) row[row.length - 1]).get(name);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }
}
