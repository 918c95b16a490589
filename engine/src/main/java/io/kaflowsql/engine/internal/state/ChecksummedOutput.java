package io.kaflowsql.engine.internal.state;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * A buffered writer of big-endian ints and longs, varints, strings and raw bytes that keeps a CRC32C of
 * everything written. Rows are copied into one large buffer, so writing millions of small rows costs
 * one {@code System.arraycopy} each and a stream write per buffer. Closing flushes but does not close
 * the stream.
 *
 * <p>Not thread-safe.
 */
final class ChecksummedOutput
{
    private static final int BUFFER_SIZE = 1 << 20;

    private final OutputStream out;
    private final CRC32C crc = new CRC32C();
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;

    ChecksummedOutput(OutputStream out)
    {
        this.out = requireNonNull(out, "out is null");
    }

    void writeInt(int value)
            throws IOException
    {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[position++] = (byte) (value >>> shift);
        }
    }

    void writeLong(long value)
            throws IOException
    {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    void writeVarint(int value)
            throws IOException
    {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    void writeString(String value)
            throws IOException
    {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarint(utf8.length);
        writeBytes(utf8, 0, utf8.length);
    }

    void writeBytes(byte[] bytes, int offset, int length)
            throws IOException
    {
        if (length > buffer.length) {
            flushBuffer();
            crc.update(bytes, offset, length);
            out.write(bytes, offset, length);
            return;
        }
        ensure(length);
        System.arraycopy(bytes, offset, buffer, position, length);
        position += length;
    }

    /** Writes the CRC32C of everything written so far (not covering itself) and flushes. */
    void writeChecksumAndFlush()
            throws IOException
    {
        flushBuffer();
        int checksum = (int) crc.getValue();
        writeInt(checksum);
        out.write(buffer, 0, position);
        position = 0;
        out.flush();
    }

    private void ensure(int bytes)
            throws IOException
    {
        if (buffer.length - position < bytes) {
            flushBuffer();
        }
    }

    private void flushBuffer()
            throws IOException
    {
        crc.update(buffer, 0, position);
        out.write(buffer, 0, position);
        position = 0;
    }
}
