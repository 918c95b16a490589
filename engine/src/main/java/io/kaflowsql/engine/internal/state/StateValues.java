package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Binary value layouts of task state, also usable for changelog records:
 *
 * <pre>
 * event row       [eventTime:8][expiresAt:8][row:RowCodec]
 * pending record  [eventTime:8][expiresAt:8][indexCount:4]([source:1][keyLength:4][key:utf8])*[row:RowCodec]
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class StateValues
{
    private StateValues() {}

    /** A decoded pending record value: the held row and the keys it is indexed under. */
    public record Pending(StoredRow row, List<LookupKey> index) {}

    public static byte[] encodeEvent(StoredRow row)
    {
        RowCodec.Output out = new RowCodec.Output(64);
        out.writeLong(row.eventTime());
        out.writeLong(row.expiresAt());
        RowCodec.encodeTo(row.values(), out);
        return out.toByteArray();
    }

    public static StoredRow decodeEvent(byte[] bytes)
    {
        if (bytes.length < 16) {
            throw new IllegalArgumentException("event value too short: " + bytes.length);
        }
        return new StoredRow(RowCodec.readLong(bytes, 0), RowCodec.readLong(bytes, 8), RowCodec.decode(bytes, 16, bytes.length - 16));
    }

    /** The expiresAt of an encoded event or pending value, without decoding the row. */
    public static long expiresAt(byte[] bytes)
    {
        return RowCodec.readLong(bytes, 8);
    }

    public static byte[] encodePending(StoredRow row, List<LookupKey> index)
    {
        RowCodec.Output out = new RowCodec.Output(96);
        out.writeLong(row.eventTime());
        out.writeLong(row.expiresAt());
        writeInt(out, index.size());
        for (LookupKey key : index) {
            out.writeByte(key.source());
            byte[] utf8 = new byte[RowCodec.utf8Length(key.key())];
            RowCodec.writeUtf8(key.key(), utf8, 0);
            writeInt(out, utf8.length);
            out.writeBytes(utf8, 0, utf8.length);
        }
        RowCodec.encodeTo(row.values(), out);
        return out.toByteArray();
    }

    public static Pending decodePending(byte[] bytes)
    {
        long eventTime = RowCodec.readLong(bytes, 0);
        long expiresAt = RowCodec.readLong(bytes, 8);
        int p = 16;
        int count = readInt(bytes, p);
        p += 4;
        if (count < 0 || count > bytes.length - p) {
            throw new IllegalArgumentException("bad pending index count " + count);
        }
        List<LookupKey> index = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int source = bytes[p++] & 0xFF;
            int length = readInt(bytes, p);
            p += 4;
            if (length < 0 || length > bytes.length - p) {
                throw new IllegalArgumentException("bad pending index key length " + length);
            }
            index.add(new LookupKey(source, RowCodec.readUtf8(bytes, p, length)));
            p += length;
        }
        Object[] values = RowCodec.decode(bytes, p, bytes.length - p);
        return new Pending(new StoredRow(eventTime, expiresAt, values), List.copyOf(index));
    }

    private static void writeInt(RowCodec.Output out, int value)
    {
        out.writeByte(value >>> 24);
        out.writeByte(value >>> 16);
        out.writeByte(value >>> 8);
        out.writeByte(value);
    }

    private static int readInt(byte[] bytes, int p)
    {
        return ((bytes[p] & 0xFF) << 24) | ((bytes[p + 1] & 0xFF) << 16) | ((bytes[p + 2] & 0xFF) << 8) | (bytes[p + 3] & 0xFF);
    }
}
