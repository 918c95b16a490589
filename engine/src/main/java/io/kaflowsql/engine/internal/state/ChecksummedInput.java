package io.kaflowsql.engine.internal.state;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * Reads what {@link ChecksummedOutput} wrote, from one large buffer, and checks the trailing CRC32C.
 * {@link #readRecord} hands out a view of the buffer (no copy, no allocation) valid until the next read.
 * A truncated stream fails with {@link EOFException}; lengths are bounded so garbage cannot make it
 * allocate without limit.
 *
 * <p>Not thread-safe.
 */
final class ChecksummedInput
{
    private static final int BUFFER_SIZE = 1 << 20;
    private static final int MAX_LENGTH = 256 << 20;

    private final InputStream in;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;
    /** Bytes before this position of the buffer are already in the CRC. */
    private int checksummed;

    ChecksummedInput(InputStream in)
    {
        this.in = requireNonNull(in, "in is null");
    }

    int readInt()
            throws IOException
    {
        require(4);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    long readLong()
            throws IOException
    {
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    int readVarint()
            throws IOException
    {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            require(1);
            byte b = buffer[position++];
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new InvalidDimensionSnapshotException("malformed varint");
    }

    /** A length field: a varint in {@code [0, 256 MiB]}. */
    int readLength()
            throws IOException
    {
        int length = readVarint();
        if (length < 0 || length > MAX_LENGTH) {
            throw new InvalidDimensionSnapshotException("implausible length " + length);
        }
        return length;
    }

    String readString()
            throws IOException
    {
        int length = readLength();
        require(length);
        String value = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Makes the next {@code length} bytes readable at {@link #buffer()}[{@link #position()}] and moves past them. */
    int readRecord(int length)
            throws IOException
    {
        require(length);
        int start = position;
        position += length;
        return start;
    }

    byte[] buffer()
    {
        return buffer;
    }

    /** Reads the trailing CRC32C and fails unless it matches every byte read before it and nothing follows. */
    void verifyChecksumAndEnd()
            throws IOException
    {
        crc.update(buffer, checksummed, position - checksummed);
        checksummed = position;
        long expected = crc.getValue();
        int stored = readInt();
        if ((stored & 0xFFFFFFFFL) != expected) {
            throw new InvalidDimensionSnapshotException("checksum mismatch: stored " + Integer.toHexString(stored) + ", computed " + Long.toHexString(expected));
        }
        if (position < limit || in.read() >= 0) {
            throw new InvalidDimensionSnapshotException("bytes after the checksum");
        }
    }

    private void require(int bytes)
            throws IOException
    {
        if (limit - position >= bytes) {
            return;
        }
        crc.update(buffer, checksummed, position - checksummed);
        int remaining = limit - position;
        if (bytes > buffer.length) {
            byte[] larger = new byte[Math.max(bytes, buffer.length * 2)];
            System.arraycopy(buffer, position, larger, 0, remaining);
            buffer = larger;
        }
        else {
            System.arraycopy(buffer, position, buffer, 0, remaining);
        }
        position = 0;
        checksummed = 0;
        limit = remaining;
        while (limit < bytes) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new EOFException("the snapshot ends early (truncated?)");
            }
            limit += read;
        }
    }
}
