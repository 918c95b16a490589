package io.kaflowsql.engine.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one output record as a JSON object, columns in SELECT order. For {@code *} items, every field
 * of the source's record follows in record order, skipping names already written.
 *
 * <p>Not thread-safe: reuses one buffer; each task owns its encoder.
 */
public final class JsonOutputEncoder
{
    private static final JsonFactory FACTORY = new JsonFactory();

    private final List<OutputItem> items;
    private final String[] names;
    private final boolean hasStar;
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);

    public JsonOutputEncoder(QueryPlan plan)
    {
        this.items = plan.outputs();
        this.names = new String[items.size()];
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof OutputItem.Column column) {
                names[i] = column.name();
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
        buffer.reset();
        try (JsonGenerator json = FACTORY.createGenerator(buffer)) {
            json.writeStartObject();
            Set<String> written = hasStar ? new HashSet<>() : null;
            for (int i = 0; i < names.length; i++) {
                if (names[i] != null) {
                    if (written == null || written.add(names[i])) {
                        json.writeFieldName(names[i]);
                        writeValue(json, values[i]);
                    }
                    continue;
                }
                int source = ((OutputItem.AllColumns) items.get(i)).sourceIndex();
                Object[] row = frame[source];
                if (row == null) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) row[row.length - 1];
                for (Map.Entry<String, Object> field : fields.entrySet()) {
                    if (!laterExplicitColumn(field.getKey(), i) && written.add(field.getKey())) {
                        json.writeFieldName(field.getKey());
                        writeValue(json, field.getValue());
                    }
                }
            }
            json.writeEndObject();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
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

    static void writeValue(JsonGenerator json, Object value)
            throws IOException
    {
        if (value == null) {
            json.writeNull();
        }
        else if (value instanceof String text) {
            json.writeString(text);
        }
        else if (value instanceof Long number) {
            json.writeNumber(number);
        }
        else if (value instanceof Double number) {
            json.writeNumber(number);
        }
        else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        }
        else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                writeValue(json, element);
            }
            json.writeEndArray();
        }
        else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(json, entry.getValue());
            }
            json.writeEndObject();
        }
        else {
            json.writeString(value.toString());
        }
    }
}
