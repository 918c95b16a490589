package io.kaflowsql.engine.internal.avro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.internal.operator.OutputEncodingException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one value of the engine's value model (null, String, Long, Double, Boolean, List, Map with
 * String keys) as a given Avro schema, converting where the conversion is lossless or conventional:
 * a Long into int (when in range), float or double; an integral Double into long; an ISO-8601 string
 * into a {@code timestamp-millis} long; any value into string (its text, JSON text for arrays and
 * objects, since pass-through columns of schema-less sources map to string). A value that does not fit
 * throws {@link OutputEncodingException}.
 *
 * <p>A union writes the first branch whose natural Java type is the value's, else the first branch that
 * can convert it: a Long goes to {@code long} in {@code ["null", "string", "long"]}, not to string.
 *
 * <p>Writers are compiled once per schema; they are immutable and thread-safe (the encoder is not).
 */
abstract sealed class AvroValueWriter
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when {@code value}'s Java type is this schema's natural one (no conversion). */
    abstract boolean natural(Object value);

    /** True when {@link #write} accepts {@code value}, possibly converting it. */
    abstract boolean accepts(Object value);

    abstract void write(Object value, Encoder out)
            throws IOException;

    static AvroValueWriter of(Schema schema)
    {
        return switch (schema.getType()) {
            case NULL, BOOLEAN, INT, FLOAT, DOUBLE, STRING -> new Scalar(schema.getType(), false);
            case LONG -> new Scalar(schema.getType(), schema.getLogicalType() instanceof LogicalTypes.TimestampMillis);
            case ENUM -> new EnumWriter(schema);
            case ARRAY -> new ArrayWriter(of(schema.getElementType()));
            case MAP -> new MapWriter(of(schema.getValueType()));
            case UNION -> new UnionWriter(schema.getTypes().stream().map(AvroValueWriter::of).toArray(AvroValueWriter[]::new));
            case RECORD, FIXED, BYTES -> throw new IllegalArgumentException("unsupported Avro type " + schema.getType().getName());
        };
    }

    /** Rejects schema types no engine value maps to (record, fixed, bytes), naming the field. */
    static void checkSupported(String field, Schema schema)
    {
        switch (schema.getType()) {
            case RECORD, FIXED, BYTES -> throw new IllegalArgumentException("output.schema: field '" + field + "' has unsupported type "
                    + schema.getType().getName() + " (supported: null, boolean, int, long, float, double, string, enum, array, map and unions of them)");
            case ARRAY -> checkSupported(field, schema.getElementType());
            case MAP -> checkSupported(field, schema.getValueType());
            case UNION -> schema.getTypes().forEach(branch -> checkSupported(field, branch));
            default -> { }
        }
    }

    static OutputEncodingException mismatch(Object value, String expected)
    {
        String type = value == null ? "NULL" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return new OutputEncodingException("a " + type + " value does not fit Avro " + expected);
    }

    static String text(Object value)
    {
        if (value instanceof String string) {
            return string;
        }
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            try {
                return JSON.writeValueAsString(value);
            }
            catch (JsonProcessingException e) {
                throw new OutputEncodingException("cannot write a value as JSON text: " + e.getOriginalMessage());
            }
        }
        return value.toString();
    }

    private static final class Scalar
            extends AvroValueWriter
    {
        private final Schema.Type type;
        private final boolean timestampMillis;

        Scalar(Schema.Type type, boolean timestampMillis)
        {
            this.type = type;
            this.timestampMillis = timestampMillis;
        }

        @Override
        boolean natural(Object value)
        {
            return switch (type) {
                case NULL -> value == null;
                case BOOLEAN -> value instanceof Boolean;
                case INT, LONG -> value instanceof Long;
                case FLOAT, DOUBLE -> value instanceof Double;
                case STRING -> value instanceof String;
                default -> false;
            };
        }

        @Override
        boolean accepts(Object value)
        {
            return switch (type) {
                case NULL -> value == null;
                case BOOLEAN -> value instanceof Boolean;
                case INT -> value instanceof Long number && number == number.intValue();
                case LONG -> value instanceof Long || integral(value) || (timestampMillis && value instanceof String);
                case FLOAT, DOUBLE -> value instanceof Long || value instanceof Double;
                case STRING -> value != null;
                default -> false;
            };
        }

        private static boolean integral(Object value)
        {
            return value instanceof Double number && number == Math.rint(number) && Math.abs(number) < 9.007199254740992E15;
        }

        @Override
        void write(Object value, Encoder out)
                throws IOException
        {
            if (!accepts(value)) {
                throw mismatch(value, type.getName() + (timestampMillis ? " (timestamp-millis)" : ""));
            }
            switch (type) {
                case NULL -> out.writeNull();
                case BOOLEAN -> out.writeBoolean((Boolean) value);
                case INT -> out.writeInt(((Long) value).intValue());
                case LONG -> out.writeLong(value instanceof String text ? epochMillis(text) : ((Number) value).longValue());
                case FLOAT -> out.writeFloat(((Number) value).floatValue());
                case DOUBLE -> out.writeDouble(((Number) value).doubleValue());
                case STRING -> out.writeString(text(value));
                default -> throw new IllegalStateException("not a scalar: " + type);
            }
        }

        private static long epochMillis(String text)
        {
            try {
                return Instant.parse(text).toEpochMilli();
            }
            catch (DateTimeParseException | ArithmeticException e) {
                throw new OutputEncodingException("'" + text + "' is not an ISO-8601 instant for Avro timestamp-millis");
            }
        }
    }

    private static final class EnumWriter
            extends AvroValueWriter
    {
        private final Schema schema;

        EnumWriter(Schema schema)
        {
            this.schema = schema;
        }

        @Override
        boolean natural(Object value)
        {
            return value instanceof String text && schema.hasEnumSymbol(text);
        }

        @Override
        boolean accepts(Object value)
        {
            return natural(value);
        }

        @Override
        void write(Object value, Encoder out)
                throws IOException
        {
            if (!natural(value)) {
                throw value instanceof String text
                        ? new OutputEncodingException("'" + text + "' is not a symbol of Avro enum " + schema.getName() + " " + schema.getEnumSymbols())
                        : mismatch(value, "enum " + schema.getName());
            }
            out.writeEnum(schema.getEnumOrdinal((String) value));
        }
    }

    private static final class ArrayWriter
            extends AvroValueWriter
    {
        private final AvroValueWriter element;

        ArrayWriter(AvroValueWriter element)
        {
            this.element = element;
        }

        @Override
        boolean natural(Object value)
        {
            return value instanceof List<?>;
        }

        @Override
        boolean accepts(Object value)
        {
            return value instanceof List<?>;
        }

        @Override
        void write(Object value, Encoder out)
                throws IOException
        {
            if (!(value instanceof List<?> list)) {
                throw mismatch(value, "array");
            }
            out.writeArrayStart();
            out.setItemCount(list.size());
            for (Object item : list) {
                out.startItem();
                element.write(item, out);
            }
            out.writeArrayEnd();
        }
    }

    private static final class MapWriter
            extends AvroValueWriter
    {
        private final AvroValueWriter value;

        MapWriter(AvroValueWriter value)
        {
            this.value = value;
        }

        @Override
        boolean natural(Object candidate)
        {
            return candidate instanceof Map<?, ?>;
        }

        @Override
        boolean accepts(Object candidate)
        {
            return candidate instanceof Map<?, ?>;
        }

        @Override
        void write(Object candidate, Encoder out)
                throws IOException
        {
            if (!(candidate instanceof Map<?, ?> map)) {
                throw mismatch(candidate, "map");
            }
            out.writeMapStart();
            out.setItemCount(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.startItem();
                out.writeString(String.valueOf(entry.getKey()));
                value.write(entry.getValue(), out);
            }
            out.writeMapEnd();
        }
    }

    private static final class UnionWriter
            extends AvroValueWriter
    {
        private final AvroValueWriter[] branches;

        UnionWriter(AvroValueWriter[] branches)
        {
            this.branches = branches;
        }

        @Override
        boolean natural(Object value)
        {
            return branch(value) >= 0;
        }

        @Override
        boolean accepts(Object value)
        {
            return branch(value) >= 0;
        }

        private int branch(Object value)
        {
            for (int i = 0; i < branches.length; i++) {
                if (branches[i].natural(value)) {
                    return i;
                }
            }
            for (int i = 0; i < branches.length; i++) {
                if (branches[i].accepts(value)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        void write(Object value, Encoder out)
                throws IOException
        {
            int index = branch(value);
            if (index < 0) {
                throw mismatch(value, "union");
            }
            out.writeIndex(index);
            branches[index].write(value, out);
        }
    }
}
