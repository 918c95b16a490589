package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Binary key layouts of {@link RocksTaskStore}'s column families. Longs are big-endian and times have
 * their sign bit flipped, so RocksDB's bytewise order equals numeric order and expiry is a range scan
 * from the first key.
 *
 * <pre>
 * events         [source:1][key:utf8]
 * pending        [id:8]
 * pending-index  [source:1][keyLength:4][key:utf8][id:8]
 * expiry         [expiresAt^MIN:8][EVENT:1][source:1][key:utf8]   or   [expiresAt^MIN:8][PENDING:1][id:8]
 * </pre>
 */
final class StateKeys
{
    static final byte EXPIRY_EVENT = 0;
    static final byte EXPIRY_PENDING = 1;

    private StateKeys() {}

    static byte[] eventKey(int source, String key)
    {
        requireNonNull(key, "key is null");
        byte[] bytes = new byte[1 + RowCodec.utf8Length(key)];
        bytes[0] = sourceByte(source);
        RowCodec.writeUtf8(key, bytes, 1);
        return bytes;
    }

    static int eventSource(byte[] eventKey)
    {
        return eventKey[0] & 0xFF;
    }

    static String eventKeyString(byte[] eventKey)
    {
        return RowCodec.readUtf8(eventKey, 1, eventKey.length - 1);
    }

    static byte[] pendingKey(long id)
    {
        byte[] bytes = new byte[8];
        RowCodec.writeLong(bytes, 0, id);
        return bytes;
    }

    /** Prefix of every index entry of (source, key); an entry is this prefix plus 8 id bytes. */
    static byte[] pendingIndexPrefix(int source, String key)
    {
        int length = RowCodec.utf8Length(key);
        byte[] bytes = new byte[1 + 4 + length];
        bytes[0] = sourceByte(source);
        bytes[1] = (byte) (length >>> 24);
        bytes[2] = (byte) (length >>> 16);
        bytes[3] = (byte) (length >>> 8);
        bytes[4] = (byte) length;
        RowCodec.writeUtf8(key, bytes, 5);
        return bytes;
    }

    static byte[] pendingIndexKey(LookupKey key, long id)
    {
        byte[] prefix = pendingIndexPrefix(key.source(), key.key());
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + 8);
        RowCodec.writeLong(bytes, prefix.length, id);
        return bytes;
    }

    static long pendingIndexId(byte[] indexKey)
    {
        return RowCodec.readLong(indexKey, indexKey.length - 8);
    }

    static byte[] eventExpiryKey(long expiresAt, byte[] eventKey)
    {
        byte[] bytes = new byte[9 + eventKey.length];
        RowCodec.writeLong(bytes, 0, expiresAt ^ Long.MIN_VALUE);
        bytes[8] = EXPIRY_EVENT;
        System.arraycopy(eventKey, 0, bytes, 9, eventKey.length);
        return bytes;
    }

    static byte[] pendingExpiryKey(long expiresAt, long id)
    {
        byte[] bytes = new byte[17];
        RowCodec.writeLong(bytes, 0, expiresAt ^ Long.MIN_VALUE);
        bytes[8] = EXPIRY_PENDING;
        RowCodec.writeLong(bytes, 9, id);
        return bytes;
    }

    static long expiryTime(byte[] expiryKey)
    {
        return RowCodec.readLong(expiryKey, 0) ^ Long.MIN_VALUE;
    }

    static byte expiryKind(byte[] expiryKey)
    {
        return expiryKey[8];
    }

    static byte[] expiryEventKey(byte[] expiryKey)
    {
        return Arrays.copyOfRange(expiryKey, 9, expiryKey.length);
    }

    static long expiryPendingId(byte[] expiryKey)
    {
        return RowCodec.readLong(expiryKey, 9);
    }

    /** The smallest key greater than {@code key} in bytewise order. */
    static byte[] successor(byte[] key)
    {
        return Arrays.copyOf(key, key.length + 1);
    }

    static byte[] longValue(long value)
    {
        return pendingKey(value);
    }

    static long readLongValue(byte[] bytes)
    {
        return RowCodec.readLong(bytes, 0);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix)
    {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte sourceByte(int source)
    {
        if (source < 0 || source > 255) {
            throw new IllegalArgumentException("source must be in [0, 255]: " + source);
        }
        return (byte) source;
    }
}
