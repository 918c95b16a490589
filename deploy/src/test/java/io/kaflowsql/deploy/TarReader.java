package io.kaflowsql.deploy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tar stream (ustar, with PAX {@code path}/{@code linkpath} records and GNU long names, as Jib writes them):
 * each entry's header and, for a regular file, its content. Written for the tests because the commons-compress on
 * the node's classpath cannot run with the commons-lang3 that comes with it. Not thread-safe.
 */
final class TarReader
{
    private static final int BLOCK = 512;

    private final InputStream in;

    TarReader(InputStream in)
    {
        this.in = in;
    }

    /** One entry of the archive. */
    record Entry(String name, char type, int mode, long uid, long gid, long size, String linkName)
    {
        boolean isDirectory()
        {
            return type == '5';
        }

        boolean isSymbolicLink()
        {
            return type == '2';
        }

        boolean isFile()
        {
            return type == '0' || type == '\0';
        }
    }

    @FunctionalInterface
    interface Visitor
    {
        void visit(Entry entry, InputStream content)
                throws IOException;
    }

    /** Calls {@code visitor} for each entry, in order; what it leaves unread of the content is skipped. */
    void forEach(Visitor visitor)
            throws IOException
    {
        String longName = null;
        String longLink = null;
        while (true) {
            byte[] header = in.readNBytes(BLOCK);
            if (header.length < BLOCK || isZero(header)) {
                return;
            }
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            if (type == 'x' || type == 'L' || type == 'K') {
                String text = new String(readPadded(size), StandardCharsets.UTF_8);
                if (type == 'L') {
                    longName = text.replace("\0", "");
                }
                else if (type == 'K') {
                    longLink = text.replace("\0", "");
                }
                else {
                    longName = pax(text, "path", longName);
                    longLink = pax(text, "linkpath", longLink);
                }
                continue;
            }
            String name = longName != null ? longName : ustarName(header);
            String link = longLink != null ? longLink : string(header, 157, 100);
            longName = null;
            longLink = null;
            Entry entry = new Entry(name, type, (int) octal(header, 100, 8), octal(header, 108, 8), octal(header, 116, 8), size, link);
            BoundedStream content = new BoundedStream(in, size);
            visitor.visit(entry, content);
            content.skipRest();
            skipPadding(size);
        }
    }

    private byte[] readPadded(long size)
            throws IOException
    {
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("truncated tar");
        }
        skipPadding(size);
        return data;
    }

    private void skipPadding(long size)
            throws IOException
    {
        in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
    }

    private static String pax(String records, String key, String current)
    {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            int equals = record.indexOf('=');
            if (space > 0 && equals > space && record.substring(space + 1, equals).equals(key)) {
                return record.substring(equals + 1);
            }
        }
        return current;
    }

    private static String ustarName(byte[] header)
    {
        String name = string(header, 0, 100);
        String magic = string(header, 257, 6);
        String prefix = magic.startsWith("ustar") ? string(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String string(byte[] header, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length)
    {
        if ((header[offset] & 0x80) != 0) {
            long value = 0;
            for (int i = offset + 1; i < offset + length; i++) {
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        String text = string(header, offset, length).strip();
        return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    }

    private static boolean isZero(byte[] block)
    {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The content of one entry: at most {@code remaining} bytes of the archive. */
    private static final class BoundedStream
            extends InputStream
    {
        private final InputStream in;
        private long remaining;

        BoundedStream(InputStream in, long remaining)
        {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read()
                throws IOException
        {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            if (remaining <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() {}

        void skipRest()
                throws IOException
        {
            in.skipNBytes(remaining);
            remaining = 0;
        }
    }
}
