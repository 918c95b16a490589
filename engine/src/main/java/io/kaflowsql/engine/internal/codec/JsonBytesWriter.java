package io.kaflowsql.engine.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer into one reusable byte buffer, for the output hot path: it skips the
 * generator set-up a general-purpose library pays per record, and writes ASCII strings byte by byte.
 * Values follow the engine's value model (null, String, Long, Double, Boolean, List, Map).
 *
 * <p>Not thread-safe: one per task.
 */
final class JsonBytesWriter
{
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    private static final int MAX_FAST_DECIMALS = 4;

    private byte[] buffer = new byte[1024];
    private int size;

    void reset()
    {
        size = 0;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(buffer, size);
    }

    void writeByte(char c)
    {
        ensure(1);
        buffer[size++] = (byte) c;
    }

    void writeRaw(byte[] bytes)
    {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    /** {@code "name":} pre-encoded, for field names known in advance. */
    static byte[] fieldPrefix(String name)
    {
        JsonBytesWriter writer = new JsonBytesWriter();
        writer.writeString(name);
        writer.writeByte(':');
        return writer.toByteArray();
    }

    void writeValue(Object value)
    {
        if (value == null) {
            writeRaw(NULL);
        }
        else if (value instanceof String text) {
            writeString(text);
        }
        else if (value instanceof Long number) {
            writeLong(number);
        }
        else if (value instanceof Double number) {
            writeDouble(number);
        }
        else if (value instanceof Boolean bool) {
            writeRaw(bool ? TRUE : FALSE);
        }
        else if (value instanceof List<?> list) {
            writeByte('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    writeByte(',');
                }
                writeValue(list.get(i));
            }
            writeByte(']');
        }
        else if (value instanceof Map<?, ?> map) {
            writeByte('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    writeByte(',');
                }
                first = false;
                writeString(String.valueOf(entry.getKey()));
                writeByte(':');
                writeValue(entry.getValue());
            }
            writeByte('}');
        }
        else {
            writeString(value.toString());
        }
    }

    private void writeDouble(double number)
    {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            writeString(Double.toString(number));
        }
        else if (!writeShortDecimal(number)) {
            writeAscii(Double.toString(number));
        }
    }

    /**
     * Writes {@code number} in place when it is a decimal of at most {@value #MAX_FAST_DECIMALS} decimals in [0.001, 10^7),
     * as {@link Double#toString} writes it (plain notation, shortest digits, at least one decimal); false, having written
     * nothing, for any other. Prices, ratings and amounts are nearly all such numbers, and {@code Double.toString} on this
     * JDK costs as much as encoding the rest of a record.
     *
     * <p>Why it is exact: {@code units / 10^d} in double arithmetic is the double nearest to the decimal {@code units/10^d}
     * (both operands are exact, and IEEE division rounds correctly), so the test finds the fewest decimals whose decimal
     * reads back as {@code number}. Below 10^7 a double's spacing is under 2^-29, far finer than 10^-4, so no other
     * decimal with as few decimals reads back as the same double: the digits are the shortest, as {@code Double.toString}'s.
     */
    private boolean writeShortDecimal(double number)
    {
        double magnitude = Math.abs(number);
        if (!(magnitude >= 1e-3 && magnitude < 1e7)) {
            return false;
        }
        long scale = 1;
        for (int decimals = 1; decimals <= MAX_FAST_DECIMALS; decimals++) {
            scale *= 10;
            long units = Math.round(magnitude * scale);
            if ((double) units / scale == magnitude) {
                if (number < 0) {
                    writeByte('-');
                }
                writeLong(units / scale);
                writeByte('.');
                ensure(decimals);
                long fraction = units % scale;
                for (int at = size + decimals - 1; at >= size; at--) {
                    buffer[at] = (byte) ('0' + fraction % 10);
                    fraction /= 10;
                }
                size += decimals;
                return true;
            }
        }
        return false;
    }

    private void writeAscii(String text)
    {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
    }

    /** The decimal digits of {@code number}, written in place (no intermediate String: this runs for most output columns). */
    void writeLong(long number)
    {
        if (number == Long.MIN_VALUE) {
            writeAscii(Long.toString(number));
            return;
        }
        ensure(20);
        if (number < 0) {
            buffer[size++] = '-';
            number = -number;
        }
        int digits = 1;
        for (long rest = number / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int at = end - 1; at >= size; at--) {
            buffer[at] = (byte) ('0' + (number % 10));
            number /= 10;
        }
        size = end;
    }

    void writeString(String text)
    {
        int length = text.length();
        ensure(length + 2);
        byte[] bytes = buffer;
        int at = size;
        bytes[at++] = '"';
        // fast path, nearly every string of the engine's output: printable ASCII, one byte per char, room ensured above
        int i = 0;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            bytes[at++] = (byte) c;
        }
        size = at;
        for (; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ensure(1);
                buffer[size++] = (byte) c;
            }
            else {
                i = writeSpecial(text, i, c);
            }
        }
        ensure(1);
        buffer[size++] = '"';
    }

    /** Escapes or UTF-8-encodes one character (two for a surrogate pair); returns the last index used. */
    private int writeSpecial(String text, int index, char c)
    {
        ensure(12);
        if (c == '"' || c == '\\') {
            buffer[size++] = '\\';
            buffer[size++] = (byte) c;
        }
        else if (c < 0x20) {
            switch (c) {
                case '\n' -> writeEscape('n');
                case '\r' -> writeEscape('r');
                case '\t' -> writeEscape('t');
                case '\b' -> writeEscape('b');
                case '\f' -> writeEscape('f');
                default -> {
                    buffer[size++] = '\\';
                    buffer[size++] = 'u';
                    buffer[size++] = '0';
                    buffer[size++] = '0';
                    buffer[size++] = HEX[c >> 4];
                    buffer[size++] = HEX[c & 0xF];
                }
            }
        }
        else if (c < 0x800) {
            buffer[size++] = (byte) (0xC0 | (c >> 6));
            buffer[size++] = (byte) (0x80 | (c & 0x3F));
        }
        else if (Character.isHighSurrogate(c) && index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1))) {
            int codePoint = Character.toCodePoint(c, text.charAt(index + 1));
            buffer[size++] = (byte) (0xF0 | (codePoint >> 18));
            buffer[size++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
            buffer[size++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            buffer[size++] = (byte) (0x80 | (codePoint & 0x3F));
            return index + 1;
        }
        else if (Character.isSurrogate(c)) {
            buffer[size++] = '\\';
            buffer[size++] = 'u';
            buffer[size++] = HEX[(c >> 12) & 0xF];
            buffer[size++] = HEX[(c >> 8) & 0xF];
            buffer[size++] = HEX[(c >> 4) & 0xF];
            buffer[size++] = HEX[c & 0xF];
        }
        else {
            buffer[size++] = (byte) (0xE0 | (c >> 12));
            buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            buffer[size++] = (byte) (0x80 | (c & 0x3F));
        }
        return index;
    }

    private void writeEscape(char c)
    {
        buffer[size++] = '\\';
        buffer[size++] = (byte) c;
    }

    private void ensure(int extra)
    {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
