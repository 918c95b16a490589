package io.kaflowsql.engine.internal.codec;

import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes one output record as a JSON object, columns in SELECT order. For {@code *} items, every field
 * of the source's record follows in record order, skipping names already written (an explicit column
 * of the same name wins).
 *
 * <p>Field names are encoded once, at construction; the hot path only copies bytes.
 *
 * <p>Not thread-safe: reuses one buffer; each task owns its encoder.
 */
public final class JsonOutputEncoder
{
    private final OutputItem[] items;
    private final String[] names;
    private final byte[][] prefixes;
    private final boolean hasStar;
    private final JsonBytesWriter writer = new JsonBytesWriter();

    public JsonOutputEncoder(QueryPlan plan)
    {
        this.items = plan.outputs().toArray(OutputItem[]::new);
        this.names = new String[items.length];
        this.prefixes = new byte[items.length][];
        for (int i = 0; i < items.length; i++) {
            if (items[i] instanceof OutputItem.Column column) {
                names[i] = column.name();
                prefixes[i] = JsonBytesWriter.fieldPrefix(column.name());
            }
        }
        this.hasStar = plan.hasStar();
    }

    /**
     * @param frame the evaluation frame (for {@code *} items)
     * @param values one value per output item (ignored for {@code *} items)
     */
    public byte[] encode(Object[][] frame, Object[] values)
    {
        writer.reset();
        writer.writeByte('{');
        Set<String> written = hasStar ? new HashSet<>() : null;
        boolean first = true;
        for (int i = 0; i < items.length; i++) {
            if (names[i] != null) {
                if (written == null || written.add(names[i])) {
                    if (!first) {
                        writer.writeByte(',');
                    }
                    first = false;
                    writer.writeRaw(prefixes[i]);
                    writer.writeValue(values[i]);
                }
                continue;
            }
            Object[] row = frame[((OutputItem.AllColumns) items[i]).sourceIndex()];
            if (row == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) row[row.length - 1];
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                if (!laterExplicitColumn(field.getKey(), i) && written.add(field.getKey())) {
                    if (!first) {
                        writer.writeByte(',');
                    }
                    first = false;
                    writer.writeString(field.getKey());
                    writer.writeByte(':');
                    writer.writeValue(field.getValue());
                }
            }
        }
        writer.writeByte('}');
        return writer.toByteArray();
    }

    /** {@code SELECT *, x AS a}: an explicit column wins over a same-named field of the star. */
    private boolean laterExplicitColumn(String name, int after)
    {
        for (int i = after + 1; i < names.length; i++) {
            if (name.equals(names[i])) {
                return true;
            }
        }
        return false;
    }
}
