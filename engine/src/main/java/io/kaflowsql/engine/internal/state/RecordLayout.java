package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

import java.util.Arrays;

/**
 * Reads the arena record layout of {@link CompactDimensionTable}:
 * {@code [varint keyLength][key][varint ownerLength+1 | 0][owner][varint rowLength][row]}, and
 * defines the key hash (FNV-1a over the UTF-8 bytes, then a murmur3 finaliser so both the low bits
 * used for the slot and the high bits used as fingerprint are well mixed).
 *
 * <p>The key and owner readers are called on unvalidated optimistic reads: they only read within the
 * given array and never allocate in proportion to what they read, so garbage input can at worst
 * throw {@link ArrayIndexOutOfBoundsException}, which the caller treats as "retry under the lock".
 */
final class RecordLayout
{
    static final long HASH_SEED = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private RecordLayout() {}

    static long hashStep(long hash, int unsignedByte)
    {
        return (hash ^ unsignedByte) * FNV_PRIME;
    }

    static long finish(long hash)
    {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }

    static long hash(byte[] bytes, int offset, int length)
    {
        long hash = HASH_SEED;
        for (int i = offset; i < offset + length; i++) {
            hash = hashStep(hash, bytes[i] & 0xFF);
        }
        return finish(hash);
    }

    static boolean keyEquals(byte[] chunk, int offset, SearchKey key)
    {
        int keyLength = readVarint(chunk, offset);
        int p = offset + varintSize(keyLength);
        if (key.utf8() != null) {
            byte[] utf8 = key.utf8();
            return keyLength == utf8.length && Arrays.equals(chunk, p, p + keyLength, utf8, 0, keyLength);
        }
        String value = key.value();
        if (keyLength != value.length()) {
            return false;
        }
        for (int i = 0; i < keyLength; i++) {
            if (chunk[p + i] != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static long keyHash(byte[] chunk, int offset)
    {
        int keyLength = readVarint(chunk, offset);
        return hash(chunk, offset + varintSize(keyLength), keyLength);
    }

    static String key(byte[] chunk, int offset)
    {
        int keyLength = readVarint(chunk, offset);
        return RowCodec.readUtf8(chunk, offset + varintSize(keyLength), keyLength);
    }

    /** The record key that wrote the record (the join value itself unless stored explicitly). */
    static String owner(byte[] chunk, int offset)
    {
        int keyLength = readVarint(chunk, offset);
        int p = offset + varintSize(keyLength) + keyLength;
        int ownerField = readVarint(chunk, p);
        if (ownerField == 0) {
            return key(chunk, offset);
        }
        return RowCodec.readUtf8(chunk, p + varintSize(ownerField), ownerField - 1);
    }

    /** The owner stored explicitly (a record key other than the join value), or null when the owner is the key. */
    static String explicitOwner(byte[] chunk, int offset)
    {
        int keyLength = readVarint(chunk, offset);
        int p = offset + varintSize(keyLength) + keyLength;
        int ownerField = readVarint(chunk, p);
        return ownerField == 0 ? null : RowCodec.readUtf8(chunk, p + varintSize(ownerField), ownerField - 1);
    }

    /** True when the records at the two places have the same key bytes. */
    static boolean sameKey(byte[] chunk, int offset, byte[] otherChunk, int otherOffset)
    {
        int keyLength = readVarint(chunk, offset);
        if (readVarint(otherChunk, otherOffset) != keyLength) {
            return false;
        }
        int p = offset + varintSize(keyLength);
        int q = otherOffset + varintSize(keyLength);
        return Arrays.equals(chunk, p, p + keyLength, otherChunk, q, q + keyLength);
    }

    static int recordLength(byte[] chunk, int offset)
    {
        int p = rowLengthPosition(chunk, offset);
        int rowLength = readVarint(chunk, p);
        return p + varintSize(rowLength) + rowLength - offset;
    }

    static Object[] decodeRow(byte[] chunk, int offset)
    {
        int p = rowLengthPosition(chunk, offset);
        int rowLength = readVarint(chunk, p);
        return RowCodec.decode(chunk, p + varintSize(rowLength), rowLength);
    }

    private static int rowLengthPosition(byte[] chunk, int offset)
    {
        int keyLength = readVarint(chunk, offset);
        int p = offset + varintSize(keyLength) + keyLength;
        int ownerField = readVarint(chunk, p);
        return p + varintSize(ownerField) + (ownerField == 0 ? 0 : ownerField - 1);
    }

    static int readVarint(byte[] bytes, int p)
    {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = bytes[p++];
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint too long at " + p);
    }

    static int varintSize(int value)
    {
        return value >>> 7 == 0 ? 1 : value >>> 14 == 0 ? 2 : value >>> 21 == 0 ? 3 : value >>> 28 == 0 ? 4 : 5;
    }
}
