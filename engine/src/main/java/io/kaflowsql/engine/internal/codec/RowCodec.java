package io.kaflowsql.engine.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

/**
 * Compact binary encoding of a row ({@code Object[]} of the engine's value model: null, String, Long,
 * Double, Boolean, List, Map with String keys) used by the state stores.
 *
 * <p>Format: varint field count, then one tagged value per field. Longs are zigzag varints, doubles
 * 8 raw bytes (big-endian bits, so NaN payloads and -0.0 survive), strings a varint byte length and
 * the bytes. ASCII strings get their own tag so decoding them is a plain byte copy; other strings are
 * UTF-8, except that unpaired surrogates are written as 3-byte sequences (WTF-8) so that every Java
 * string round-trips exactly. Lists and maps are a varint size and their elements (map: key string,
 * value) in iteration order; maps decode to {@link LinkedHashMap}, lists to {@link ArrayList}.
 *
 * <p>Stateless and thread-safe. {@link #encode} uses a per-thread scratch buffer; {@link Output} is
 * a reusable growable buffer for callers that write several rows into one array.
 */
public final class RowCodec
{
    static final byte NULL = 0;
    static final byte ASCII = 1;
    static final byte UTF8 = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte TRUE = 5;
    static final byte FALSE = 6;
    static final byte LIST = 7;
    static final byte MAP = 8;

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final ThreadLocal<Output> SCRATCH = ThreadLocal.withInitial(() -> new Output(256));

    private RowCodec() {}

    /** Encodes a row into a new, exactly sized array. */
    public static byte[] encode(Object[] row)
    {
        Output out = SCRATCH.get();
        out.reset();
        encodeTo(row, out);
        if (out.buffer.length > 1 << 20) {
            // do not pin a huge scratch array to the thread after an outsized row
            byte[] result = out.toByteArray();
            SCRATCH.remove();
            return result;
        }
        return out.toByteArray();
    }

    /** Appends the encoding of a row to {@code out}. */
    public static void encodeTo(Object[] row, Output out)
    {
        requireNonNull(row, "row is null");
        out.writeVarint(row.length);
        for (Object value : row) {
            writeValue(value, out);
        }
    }

    public static Object[] decode(byte[] bytes)
    {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the row encoded at {@code bytes[offset, offset + length)}.
     *
     * @throws IllegalArgumentException when the bytes are not a valid encoding
     */
    public static Object[] decode(byte[] bytes, int offset, int length)
    {
        requireNonNull(bytes, "bytes is null");
        if (offset < 0 || length < 0 || offset + length > bytes.length || offset + length < 0) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") outside array of " + bytes.length);
        }
        Input in = new Input(bytes, offset, offset + length);
        int count = in.readCount();
        Object[] row = new Object[count];
        for (int i = 0; i < count; i++) {
            row[i] = in.readValue();
        }
        if (in.position != in.limit) {
            throw new IllegalArgumentException("trailing bytes after row: " + (in.limit - in.position));
        }
        return row;
    }

    /** Number of bytes a string takes in this codec's UTF-8 (WTF-8 for unpaired surrogates). */
    public static int utf8Length(String s)
    {
        int length = s.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                }
                else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                }
                else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Writes {@code s} in this codec's UTF-8 at {@code bytes[offset]}; returns the offset after it. */
    public static int writeUtf8(String s, byte[] bytes, int offset)
    {
        int p = offset;
        int length = s.length();
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes[p++] = (byte) c;
            }
            else if (c < 0x800) {
                bytes[p++] = (byte) (0xC0 | (c >> 6));
                bytes[p++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                bytes[p++] = (byte) (0xF0 | (cp >> 18));
                bytes[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[p++] = (byte) (0x80 | (cp & 0x3F));
            }
            else {
                bytes[p++] = (byte) (0xE0 | (c >> 12));
                bytes[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    /** Decodes bytes written by {@link #writeUtf8}. */
    public static String readUtf8(byte[] bytes, int offset, int length)
    {
        char[] chars = new char[length];
        int n = 0;
        int p = offset;
        int end = offset + length;
        while (p < end) {
            int b = bytes[p++];
            if (b >= 0) {
                chars[n++] = (char) b;
            }
            else if ((b & 0xE0) == 0xC0) {
                chars[n++] = (char) (((b & 0x1F) << 6) | continuation(bytes, p++, end));
            }
            else if ((b & 0xF0) == 0xE0) {
                int c = ((b & 0x0F) << 12) | (continuation(bytes, p++, end) << 6);
                chars[n++] = (char) (c | continuation(bytes, p++, end));
            }
            else if ((b & 0xF8) == 0xF0) {
                int cp = ((b & 0x07) << 18) | (continuation(bytes, p++, end) << 12);
                cp |= continuation(bytes, p++, end) << 6;
                cp |= continuation(bytes, p++, end);
                chars[n++] = Character.highSurrogate(cp);
                chars[n++] = Character.lowSurrogate(cp);
            }
            else {
                throw new IllegalArgumentException("invalid UTF-8 lead byte at " + (p - 1));
            }
        }
        return new String(chars, 0, n);
    }

    private static int continuation(byte[] bytes, int p, int end)
    {
        if (p >= end || (bytes[p] & 0xC0) != 0x80) {
            throw new IllegalArgumentException("truncated UTF-8 sequence at " + p);
        }
        return bytes[p] & 0x3F;
    }

    private static void writeValue(Object value, Output out)
    {
        if (value == null) {
            out.writeByte(NULL);
        }
        else if (value instanceof String s) {
            writeString(s, out);
        }
        else if (value instanceof Long l) {
            out.writeByte(LONG);
            long v = l;
            out.writeVarLong((v << 1) ^ (v >> 63));
        }
        else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeLong(Double.doubleToRawLongBits(d));
        }
        else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        }
        else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeVarint(list.size());
            for (Object element : list) {
                writeValue(element, out);
            }
        }
        else if (value instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeVarint(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map key is not a String: " + entry.getKey());
                }
                writeString(key, out);
                writeValue(entry.getValue(), out);
            }
        }
        else {
            throw new IllegalArgumentException("unsupported value type: " + value.getClass().getName());
        }
    }

    /** Optimistically writes an ASCII string; rewinds and writes UTF-8 on the first non-ASCII char. */
    private static void writeString(String s, Output out)
    {
        int length = s.length();
        int start = out.position;
        out.ensure(1 + 5 + length);
        byte[] buffer = out.buffer;
        buffer[start] = ASCII;
        int p = Output.putVarint(buffer, start + 1, length);
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                int utf8Length = utf8Length(s);
                out.ensure(1 + 5 + utf8Length);
                buffer = out.buffer;
                buffer[start] = UTF8;
                p = Output.putVarint(buffer, start + 1, utf8Length);
                out.position = writeUtf8(s, buffer, p);
                return;
            }
            buffer[p++] = (byte) c;
        }
        out.position = p;
    }

    /** A growable byte buffer. Not thread-safe. */
    public static final class Output
    {
        private byte[] buffer;
        private int position;

        public Output(int initialCapacity)
        {
            this.buffer = new byte[Math.max(16, initialCapacity)];
        }

        public void reset()
        {
            position = 0;
        }

        public int position()
        {
            return position;
        }

        /** The backing array; valid up to {@link #position()} until the next write. */
        public byte[] buffer()
        {
            return buffer;
        }

        public byte[] toByteArray()
        {
            return Arrays.copyOf(buffer, position);
        }

        /** Makes room for {@code extra} more bytes after the position. */
        public void ensure(int extra)
        {
            int needed = position + extra;
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
            }
        }

        public void writeByte(int b)
        {
            ensure(1);
            buffer[position++] = (byte) b;
        }

        public void writeBytes(byte[] bytes, int offset, int length)
        {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
        }

        /** Writes a big-endian long (8 bytes). */
        public void writeLong(long v)
        {
            ensure(8);
            LONG_BE.set(buffer, position, v);
            position += 8;
        }

        public void writeVarint(int v)
        {
            ensure(5);
            position = putVarint(buffer, position, v);
        }

        public void writeVarLong(long v)
        {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buffer[position++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[position++] = (byte) v;
        }

        static int putVarint(byte[] bytes, int p, int v)
        {
            while ((v & ~0x7F) != 0) {
                bytes[p++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[p++] = (byte) v;
            return p;
        }
    }

    /** Reads big-endian long at {@code offset}. */
    public static long readLong(byte[] bytes, int offset)
    {
        return (long) LONG_BE.get(bytes, offset);
    }

    /** Writes big-endian long at {@code offset}. */
    public static void writeLong(byte[] bytes, int offset, long value)
    {
        LONG_BE.set(bytes, offset, value);
    }

    /** A bounds-checked cursor over an encoded row. */
    private static final class Input
    {
        private final byte[] bytes;
        private final int limit;
        private int position;

        Input(byte[] bytes, int offset, int limit)
        {
            this.bytes = bytes;
            this.position = offset;
            this.limit = limit;
        }

        Object readValue()
        {
            byte tag = readByte();
            switch (tag) {
                case NULL:
                    return null;
                case ASCII: {
                    int length = readLength();
                    String s = new String(bytes, position, length, ISO_8859_1);
                    position += length;
                    return s;
                }
                case UTF8: {
                    int length = readLength();
                    String s = readUtf8(bytes, position, length);
                    position += length;
                    return s;
                }
                case LONG: {
                    long v = readVarLong();
                    return (v >>> 1) ^ -(v & 1);
                }
                case DOUBLE: {
                    if (limit - position < 8) {
                        throw new IllegalArgumentException("truncated double at " + position);
                    }
                    double d = Double.longBitsToDouble((long) LONG_BE.get(bytes, position));
                    position += 8;
                    return d;
                }
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case LIST:
                    return readList();
                case MAP:
                    return readMap();
                default:
                    throw new IllegalArgumentException("unknown type tag " + tag + " at " + (position - 1));
            }
        }

        private List<Object> readList()
        {
            int size = readCount();
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(readValue());
            }
            return list;
        }

        private Map<String, Object> readMap()
        {
            int size = readCount();
            Map<String, Object> map = new LinkedHashMap<>((int) (size / 0.75f) + 1);
            for (int i = 0; i < size; i++) {
                Object key = readValue();
                if (!(key instanceof String s)) {
                    throw new IllegalArgumentException("map key is not a string at " + position);
                }
                map.put(s, readValue());
            }
            return map;
        }

        byte readByte()
        {
            if (position >= limit) {
                throw new IllegalArgumentException("truncated row at " + position);
            }
            return bytes[position++];
        }

        /** A count of following elements: each takes at least one byte, which bounds allocations. */
        int readCount()
        {
            int count = readVarint();
            if (count < 0 || count > limit - position) {
                throw new IllegalArgumentException("element count " + count + " exceeds remaining bytes at " + position);
            }
            return count;
        }

        int readLength()
        {
            int length = readVarint();
            if (length < 0 || length > limit - position) {
                throw new IllegalArgumentException("length " + length + " exceeds remaining bytes at " + position);
            }
            return length;
        }

        int readVarint()
        {
            int result = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                byte b = readByte();
                result |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varint too long at " + position);
        }

        long readVarLong()
        {
            long result = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                byte b = readByte();
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("varlong too long at " + position);
        }
    }
}
