package io.kaflowsql.engine.internal.state;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.IntFunction;

import static java.util.Objects.requireNonNull;

/**
 * The binary file of a dimension snapshot: every row of a pipeline's dimension tables and, per
 * dimension topic partition, the next offset the rows reflect, so a node can load the rows and read
 * only the topic tail. Layout (ints and longs big-endian, strings a varint length and UTF-8):
 * <pre>
 * int     magic 0x4B464453 ("KFDS")
 * int     format version (1)
 * string  pipeline name
 * string  fingerprint of the dimension sources (a different plan stores different rows: rejected)
 * varint  partition count, then per partition: string topic, varint partition, long next offset
 * varint  table count, then per table: varint source index, long row count,
 *         then per row: varint length, the encoded row ({@link DimensionTable#writeEncodedRows})
 * long    total rows
 * int     CRC32C of every byte before it
 * </pre>
 * The header (up to the offsets) is read and checked before any row is loaded; a corrupt row block is
 * found by the checksum at the end, so a caller that loads into live tables clears them on failure.
 *
 * <p>Stateless; a {@link Reader} is not thread-safe. Writing and loading run on the tables' writer thread.
 */
public final class DimensionSnapshotFile
{
    public static final int MAGIC = 0x4B464453;
    public static final int VERSION = 1;
    /** A row takes at least its length, key length, owner and row length fields. */
    private static final int MIN_ROW_BYTES = 4;

    private DimensionSnapshotFile() {}

    /** The next offset to read from one dimension topic partition after the snapshot's rows. */
    public record PartitionOffset(String topic, int partition, long nextOffset)
    {
        public PartitionOffset
        {
            requireNonNull(topic, "topic is null");
        }
    }

    /** What a snapshot is of: checked before its rows are loaded. */
    public record Header(String pipeline, String fingerprint, List<PartitionOffset> offsets)
    {
        public Header
        {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(fingerprint, "fingerprint is null");
            offsets = List.copyOf(requireNonNull(offsets, "offsets is null"));
        }
    }

    /**
     * Writes {@code tables} (by source index) to {@code file}, through a temporary sibling file moved into
     * place, so a reader never sees a half-written snapshot. Call on the tables' writer thread.
     *
     * @return the number of rows written
     */
    public static long write(Path file, Header header, SortedMap<Integer, DimensionTable> tables)
            throws IOException
    {
        requireNonNull(file, "file is null");
        requireNonNull(header, "header is null");
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        long rows = 0;
        try (OutputStream stream = Files.newOutputStream(temporary)) {
            ChecksummedOutput out = new ChecksummedOutput(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeString(header.pipeline());
            out.writeString(header.fingerprint());
            out.writeVarint(header.offsets().size());
            for (PartitionOffset offset : header.offsets()) {
                out.writeString(offset.topic());
                out.writeVarint(offset.partition());
                out.writeLong(offset.nextOffset());
            }
            out.writeVarint(tables.size());
            for (Map.Entry<Integer, DimensionTable> table : tables.entrySet()) {
                out.writeVarint(table.getKey());
                out.writeLong(table.getValue().size());
                long written = table.getValue().writeEncodedRows((bytes, offset, length) -> {
                    out.writeVarint(length);
                    out.writeBytes(bytes, offset, length);
                });
                if (written != table.getValue().size()) {
                    throw new IllegalStateException("table of source " + table.getKey() + " has " + table.getValue().size() + " rows but wrote " + written);
                }
                rows += written;
            }
            out.writeLong(rows);
            out.writeChecksumAndFlush();
        }
        catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return rows;
    }

    /** Opens a snapshot and reads its header; fails with {@link InvalidDimensionSnapshotException} if it is not one of this version. */
    public static Reader open(Path file)
            throws IOException
    {
        long size = Files.size(file);
        InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new Reader(stream, size);
        }
        catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** Reads one snapshot: the header on open, then the rows once. */
    public static final class Reader
            implements Closeable
    {
        private final InputStream stream;
        private final ChecksummedInput in;
        private final Header header;
        private final long fileSize;

        private Reader(InputStream stream, long fileSize)
                throws IOException
        {
            this.stream = stream;
            this.fileSize = fileSize;
            this.in = new ChecksummedInput(stream);
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new InvalidDimensionSnapshotException("not a dimension snapshot (magic " + Integer.toHexString(magic) + ")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new InvalidDimensionSnapshotException("snapshot format version " + version + ", this node reads version " + VERSION);
            }
            String pipeline = in.readString();
            String fingerprint = in.readString();
            int partitions = in.readLength();
            List<PartitionOffset> offsets = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                offsets.add(new PartitionOffset(in.readString(), in.readVarint(), in.readLong()));
            }
            this.header = new Header(pipeline, fingerprint, offsets);
        }

        public Header header()
        {
            return header;
        }

        /**
         * Loads every row into {@code tableOf(sourceIndex)} and verifies the checksum. On failure the
         * tables hold part of the rows: the caller clears them.
         *
         * @return the number of rows loaded
         */
        public long loadRows(IntFunction<DimensionTable> tableOf)
                throws IOException
        {
            long total = 0;
            int tables = in.readLength();
            for (int t = 0; t < tables; t++) {
                int source = in.readVarint();
                DimensionTable table = tableOf.apply(source);
                if (table == null) {
                    throw new InvalidDimensionSnapshotException("the snapshot has rows of source " + source + ", which is no dimension here");
                }
                long rows = in.readLong();
                if (rows < 0 || rows > fileSize / MIN_ROW_BYTES) {
                    throw new InvalidDimensionSnapshotException("implausible row count " + rows + " in a file of " + fileSize + " bytes");
                }
                table.reserve(rows);
                for (long r = 0; r < rows; r++) {
                    int length = in.readLength();
                    int offset = in.readRecord(length);
                    try {
                        table.loadEncodedRow(in.buffer(), offset, length);
                    }
                    catch (RuntimeException e) {
                        throw new InvalidDimensionSnapshotException("row " + r + " of source " + source + " is corrupt: " + e);
                    }
                }
                total += rows;
            }
            long stored = in.readLong();
            if (stored != total) {
                throw new InvalidDimensionSnapshotException("the snapshot says " + stored + " rows but holds " + total);
            }
            in.verifyChecksumAndEnd();
            return total;
        }

        @Override
        public void close()
                throws IOException
        {
            stream.close();
        }
    }
}
