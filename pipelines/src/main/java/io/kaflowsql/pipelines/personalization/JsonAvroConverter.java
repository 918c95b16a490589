package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Builds a {@link GenericData.Record} of one record schema from a JSON object, strictly: every JSON
 * field must be in the schema and every schema field without a default in the JSON, so a schema
 * cannot silently drift from the generator. Conversions:
 * <ul>
 *   <li>{@code string} from text; {@code long}/{@code int} from integral numbers (range-checked);
 *       {@code double}/{@code float} from any number; {@code boolean} from booleans;</li>
 *   <li>{@code timestamp-millis} from an ISO-8601 instant ({@code 2025-07-05T14:30:00.123Z}), refusing
 *       sub-millisecond digits it would drop; {@code date} from {@code yyyy-MM-dd};</li>
 *   <li>arrays element by element; nested records recursively; a union takes JSON {@code null} as its
 *       {@code null} branch, anything else as the first other branch that accepts it.</li>
 * </ul>
 * Every failure is an {@link IllegalArgumentException} naming the topic and the field path.
 * Stateless after construction and thread-safe.
 */
final class JsonAvroConverter
{
    private final String topic;
    private final Schema schema;

    JsonAvroConverter(String topic, Schema schema)
    {
        this.topic = requireNonNull(topic, "topic is null");
        this.schema = requireNonNull(schema, "schema is null");
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("topic " + topic + ": the value schema must be a record, was " + schema.getType().getName());
        }
    }

    GenericData.Record toRecord(JsonNode json)
    {
        requireNonNull(json, "json is null");
        return record(json, schema, "");
    }

    private GenericData.Record record(JsonNode json, Schema recordSchema, String path)
    {
        if (!json.isObject()) {
            throw mismatch(path.isEmpty() ? "(value)" : path, json, "a JSON object");
        }
        for (Map.Entry<String, JsonNode> property : json.properties()) {
            String name = property.getKey();
            if (recordSchema.getField(name) == null) {
                throw new IllegalArgumentException("topic " + topic + ": field '" + path + name + "' is not in Avro schema "
                        + recordSchema.getFullName() + "; add it to PersonalizationAvroSchemas");
            }
        }
        GenericData.Record record = new GenericData.Record(recordSchema);
        for (Schema.Field field : recordSchema.getFields()) {
            String fieldPath = path + field.name();
            JsonNode value = json.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    throw new IllegalArgumentException("topic " + topic + ": field '" + fieldPath + "' is missing and has no default in Avro schema "
                            + recordSchema.getFullName());
                }
                record.put(field.pos(), GenericData.get().getDefaultValue(field));
                continue;
            }
            record.put(field.pos(), value(value, field.schema(), fieldPath));
        }
        return record;
    }

    private Object value(JsonNode json, Schema target, String path)
    {
        LogicalType logical = target.getLogicalType();
        return switch (target.getType()) {
            case NULL -> {
                if (!json.isNull()) {
                    throw mismatch(path, json, "null");
                }
                yield null;
            }
            case UNION -> union(json, target, path);
            case STRING -> {
                if (!json.isTextual()) {
                    throw mismatch(path, json, "a string");
                }
                yield json.textValue();
            }
            case BOOLEAN -> {
                if (!json.isBoolean()) {
                    throw mismatch(path, json, "a boolean");
                }
                yield json.booleanValue();
            }
            case LONG -> logical instanceof LogicalTypes.TimestampMillis ? timestampMillis(json, path) : integral(json, path, Long.MIN_VALUE, Long.MAX_VALUE);
            case INT -> logical instanceof LogicalTypes.Date ? epochDay(json, path) : (int) integral(json, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case DOUBLE -> number(json, path);
            case FLOAT -> (float) number(json, path);
            case ARRAY -> array(json, target.getElementType(), path);
            case RECORD -> record(json, target, path + ".");
            default -> throw new IllegalArgumentException("topic " + topic + ": field '" + path + "' has Avro type " + target.getType().getName()
                    + ", which JSON traffic cannot fill");
        };
    }

    private Object union(JsonNode json, Schema union, String path)
    {
        if (json.isNull()) {
            if (union.getIndexNamed(Schema.Type.NULL.getName()) == null) {
                throw mismatch(path, json, "one of " + union);
            }
            return null;
        }
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                continue;
            }
            try {
                return value(json, branch, path);
            }
            catch (IllegalArgumentException e) {
                // try the next branch
            }
        }
        throw mismatch(path, json, "one of " + union);
    }

    private long integral(JsonNode json, String path, long min, long max)
    {
        if (!json.isIntegralNumber() || !json.canConvertToLong() || json.longValue() < min || json.longValue() > max) {
            throw mismatch(path, json, "an integer in [" + min + ", " + max + "]");
        }
        return json.longValue();
    }

    private double number(JsonNode json, String path)
    {
        if (!json.isNumber()) {
            throw mismatch(path, json, "a number");
        }
        return json.doubleValue();
    }

    private long timestampMillis(JsonNode json, String path)
    {
        if (json.isTextual()) {
            try {
                Instant instant = Instant.parse(json.textValue());
                if (instant.getNano() % 1_000_000 == 0) {
                    return instant.toEpochMilli();
                }
            }
            catch (DateTimeException | ArithmeticException e) {
                // reported below
            }
        }
        throw mismatch(path, json, "an ISO-8601 instant with at most millisecond precision");
    }

    private int epochDay(JsonNode json, String path)
    {
        if (json.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(json.textValue()).toEpochDay());
            }
            catch (DateTimeException | ArithmeticException e) {
                // reported below
            }
        }
        throw mismatch(path, json, "a yyyy-MM-dd date");
    }

    private List<Object> array(JsonNode json, Schema elementType, String path)
    {
        if (!json.isArray()) {
            throw mismatch(path, json, "an array");
        }
        List<Object> values = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            values.add(value(json.get(i), elementType, path + "[" + i + "]"));
        }
        return values;
    }

    private IllegalArgumentException mismatch(String path, JsonNode json, String expected)
    {
        String shown = json.toString();
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...";
        }
        return new IllegalArgumentException("topic " + topic + ": field '" + path + "' must be " + expected + " for Avro schema "
                + schema.getFullName() + ", was " + shown);
    }
}
