package io.kaflowsql.engine.internal.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kaflowsql.engine.internal.plan.SourcePlan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a JSON object into the column slots of one source, reading only the fields the query uses
 * (projection pushdown: other fields are skipped by the tokenizer, never materialised). When the
 * source keeps all columns ({@code SELECT *}) the extra last slot gets every field, in record order.
 *
 * <p>Every failure is a {@link RecordDecodeException}: bad JSON, a value that is not an object, a field the
 * query reads that comes twice (which of the two values is meant is ambiguous), and bytes that are not
 * well-formed UTF-8 anywhere in the value (checked by {@link StrictUtf8} before parsing, since Jackson lets
 * some ill-formed sequences through). A field the query does not read is skipped unseen, even twice: checking
 * every name would cost a hash set per record (Jackson's duplicate detection was 3% of a node's CPU) for
 * values that cannot change a result.
 *
 * <p>Thread-safe: holds only immutable lookup tables.
 */
public final class JsonRowDecoder
        implements RowDecoder
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final Map<String, Integer> slots;
    private final int width;
    private final boolean keepAll;

    public JsonRowDecoder(SourcePlan source)
    {
        this.slots = source.slotsByName();
        this.width = source.rowWidth();
        this.keepAll = source.keepAllColumns();
    }

    @Override
    public Object[] decode(byte[] json)
            throws RecordDecodeException
    {
        if (json == null) {
            throw new RecordDecodeException("the record has no value (a tombstone)", null);
        }
        int invalid = StrictUtf8.firstInvalid(json);
        if (invalid >= 0) {
            throw new RecordDecodeException("invalid UTF-8 at byte " + invalid, null);
        }
        Object[] row = new Object[width];
        boolean[] seen = new boolean[width];
        Map<String, Object> all = keepAll ? new LinkedHashMap<>() : null;
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new RecordDecodeException("expected a JSON object", null);
            }
            String field;
            while ((field = parser.nextFieldName()) != null) {
                Integer slot = slots.get(field);
                JsonToken token = parser.nextToken();
                if (slot == null && all == null) {
                    parser.skipChildren();
                    continue;
                }
                Object value = readValue(parser, token);
                if (slot != null) {
                    if (seen[slot]) {
                        throw duplicate(field);
                    }
                    seen[slot] = true;
                    row[slot] = value;
                }
                if (all != null) {
                    if (all.containsKey(field)) {
                        throw duplicate(field);
                    }
                    all.put(field, value);
                }
            }
            if (parser.nextToken() != null) {
                throw new RecordDecodeException("unexpected content after the JSON object", null);
            }
        }
        catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new RecordDecodeException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        catch (IOException e) {
            throw new RecordDecodeException("unreadable record: " + e.getMessage(), e);
        }
        if (all != null) {
            row[width - 1] = all;
        }
        return row;
    }

    private static RecordDecodeException duplicate(String field)
    {
        return new RecordDecodeException("invalid JSON: duplicate field '" + field + "'", null);
    }

    private static Object readValue(JsonParser parser, JsonToken token)
            throws IOException, RecordDecodeException
    {
        switch (token) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                // not a conditional expression: "c ? double : long" promotes the long to double, and every integer became a DOUBLE
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return parser.getDoubleValue();
                }
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, next));
                }
                return list;
            }
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                String name;
                while ((name = parser.nextFieldName()) != null) {
                    Object value = readValue(parser, parser.nextToken());
                    if (map.containsKey(name)) {
                        throw duplicate(name);
                    }
                    map.put(name, value);
                }
                return map;
            }
            default:
                throw new IOException("unexpected token " + token);
        }
    }
}
