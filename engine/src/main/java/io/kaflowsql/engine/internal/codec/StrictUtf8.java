package io.kaflowsql.engine.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Validates that bytes are well-formed UTF-8 (RFC 3629, table 3-7 of the Unicode standard): no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF, no truncated sequences.
 *
 * <p>Jackson's UTF-8 parser checks only part of this: it accepts overlong forms (decoding them to other
 * characters), code points above U+10FFFF (decoding them to lone surrogates) and, in fields it skips,
 * encoded surrogates. A record with such bytes would flow through garbled; checking the whole value up
 * front makes it {@code undecodable} instead. ASCII, the common case, is checked eight bytes at a time.
 *
 * <p>Stateless and thread-safe.
 */
final class StrictUtf8
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private StrictUtf8() {}

    /** Index of the first byte of the first ill-formed sequence, or -1 when all of {@code bytes} is UTF-8. */
    static int firstInvalid(byte[] bytes)
    {
        int i = 0;
        int length = bytes.length;
        while (i < length) {
            if (i + Long.BYTES <= length && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES; // eight ASCII bytes
                continue;
            }
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int sequence = sequenceLength(bytes, i, b & 0xFF);
            if (sequence < 0) {
                return i;
            }
            i += sequence;
        }
        return -1;
    }

    /** Length of the well-formed multi-byte sequence starting at {@code start}, or -1. */
    private static int sequenceLength(byte[] bytes, int start, int lead)
    {
        int count;
        int secondLow = 0x80;
        int secondHigh = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            count = 2;
        }
        else if (lead >= 0xE0 && lead <= 0xEF) {
            count = 3;
            if (lead == 0xE0) {
                secondLow = 0xA0; // below is an overlong form
            }
            else if (lead == 0xED) {
                secondHigh = 0x9F; // above is a UTF-16 surrogate
            }
        }
        else if (lead >= 0xF0 && lead <= 0xF4) {
            count = 4;
            if (lead == 0xF0) {
                secondLow = 0x90; // below is an overlong form
            }
            else if (lead == 0xF4) {
                secondHigh = 0x8F; // above is past U+10FFFF
            }
        }
        else {
            return -1; // a continuation byte, an overlong two-byte lead (C0, C1) or F5..FF
        }
        if (start + count > bytes.length) {
            return -1;
        }
        int second = bytes[start + 1] & 0xFF;
        if (second < secondLow || second > secondHigh) {
            return -1;
        }
        for (int k = 2; k < count; k++) {
            if ((bytes[start + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return count;
    }
}
