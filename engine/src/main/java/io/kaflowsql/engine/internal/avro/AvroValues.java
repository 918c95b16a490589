package io.kaflowsql.engine.internal.avro;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values read by Avro's generic reader into the engine's value model, the one JSON sources
 * produce, so a query reads the same from either format:
 * <ul>
 *   <li>strings ({@code Utf8}) and enum symbols → {@code String}; int and long → {@code Long};
 *       float and double → {@code Double}; boolean → {@code Boolean};</li>
 *   <li>arrays → {@code List}; maps and nested records → {@code Map<String, Object>} in field order;</li>
 *   <li>{@code timestamp-millis}/{@code timestamp-micros} → an ISO-8601 UTC string
 *       ({@code 2025-01-01T10:00:00Z}), {@code date} → {@code yyyy-MM-dd}, as JSON sources carry them;</li>
 *   <li>{@code decimal} → {@code Double}; other bytes and fixed → base64 text.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class AvroValues
{
    private AvroValues() {}

    static Object toEngine(Object value, Schema schema)
    {
        if (value == null) {
            return null;
        }
        if (schema.getType() == Schema.Type.UNION) {
            schema = schema.getTypes().get(GenericData.get().resolveUnion(schema, value));
        }
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case STRING, ENUM -> value.toString();
            case INT -> logical instanceof LogicalTypes.Date
                    ? LocalDate.ofEpochDay(((Number) value).longValue()).toString()
                    : (Object) ((Number) value).longValue();
            case LONG -> longValue(((Number) value).longValue(), logical);
            case FLOAT, DOUBLE -> ((Number) value).doubleValue();
            case BOOLEAN -> value;
            case BYTES -> bytesValue(((ByteBuffer) value).duplicate(), logical);
            case FIXED -> bytesValue(ByteBuffer.wrap(((GenericFixed) value).bytes()), logical);
            case ARRAY -> listValue((Collection<?>) value, schema.getElementType());
            case MAP -> mapValue((Map<?, ?>) value, schema.getValueType());
            case RECORD -> recordValue((GenericRecord) value);
            case NULL -> null;
            case UNION -> throw new IllegalStateException("nested union");
        };
    }

    private static Object longValue(long value, LogicalType logical)
    {
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return Instant.ofEpochMilli(value).toString();
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L).toString();
        }
        return value;
    }

    private static Object bytesValue(ByteBuffer bytes, LogicalType logical)
    {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return new BigDecimal(new BigInteger(array), decimal.getScale()).doubleValue();
        }
        return Base64.getEncoder().encodeToString(array);
    }

    private static List<Object> listValue(Collection<?> values, Schema elementType)
    {
        List<Object> list = new ArrayList<>(values.size());
        for (Object element : values) {
            list.add(toEngine(element, elementType));
        }
        return list;
    }

    private static Map<String, Object> mapValue(Map<?, ?> values, Schema valueType)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        values.forEach((key, element) -> map.put(key.toString(), toEngine(element, valueType)));
        return map;
    }

    private static Map<String, Object> recordValue(GenericRecord record)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            map.put(field.name(), toEngine(record.get(field.pos()), field.schema()));
        }
        return map;
    }
}
