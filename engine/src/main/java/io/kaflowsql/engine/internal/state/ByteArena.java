package io.kaflowsql.engine.internal.state;

import java.util.Arrays;

/**
 * Append-only storage of byte records in large chunks, addressed by a long (chunk index and offset).
 *
 * <p>Bytes are never changed once appended and chunks are never reused, so a reader that got an
 * address through a proper happens-before edge can read the record without further locking, even
 * while the writer keeps appending. Garbage is reclaimed by copying live records into a new arena
 * (see {@link CompactDimensionTable}), not in place.
 *
 * <p>Not thread-safe for writing: one writer; readers only use {@link #chunks()} snapshots.
 */
final class ByteArena
{
    static final int OFFSET_BITS = 22;
    static final int MAX_CHUNK_SIZE = 1 << OFFSET_BITS;
    static final int MAX_CHUNKS = 1 << 18;
    /**
     * Default (and largest useful) chunk size: a little under 4 MiB, because G1 stores an array of
     * exactly 2^n MiB plus its header in one more region than needed (a 1 MiB chunk would take two
     * 1 MiB regions and double the footprint).
     */
    static final int DEFAULT_CHUNK_SIZE = MAX_CHUNK_SIZE - 64;
    private static final int FIRST_CHUNK_SIZE = 64 << 10;
    private static final int OFFSET_MASK = MAX_CHUNK_SIZE - 1;

    /** Largest chunk; chunks start small and double up to it, so small tables stay small. */
    private final int chunkSize;
    private byte[][] chunks = new byte[16][];
    private int chunkCount;
    private byte[] current;
    private int position;
    private long allocatedBytes;

    ByteArena(int chunkSize)
    {
        if (chunkSize < 1024 || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be in [1 KiB, 4 MiB]: " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /** Copies {@code length} bytes into the arena and returns their address (a 40-bit value). */
    long append(byte[] bytes, int offset, int length)
    {
        if (current == null || current.length - position < length) {
            // a record larger than a chunk gets a chunk of its own, starting at offset 0
            int next = (int) Math.min(chunkSize, Math.max(Math.min(FIRST_CHUNK_SIZE, chunkSize), allocatedBytes));
            if (Integer.bitCount(next) == 1 && next > 1024) {
                next -= 64; // see DEFAULT_CHUNK_SIZE
            }
            addChunk(new byte[Math.max(next, length)]);
        }
        long address = ((long) (chunkCount - 1) << OFFSET_BITS) | position;
        System.arraycopy(bytes, offset, current, position, length);
        position += length;
        return address;
    }

    private void addChunk(byte[] chunk)
    {
        if (chunkCount == MAX_CHUNKS) {
            throw new IllegalStateException("arena is full: " + MAX_CHUNKS + " chunks of " + chunkSize + " bytes");
        }
        if (chunkCount == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        chunks[chunkCount++] = chunk;
        current = chunk;
        position = 0;
        allocatedBytes += chunk.length;
    }

    /** The chunk array; entries at and after the chunk count are null. */
    byte[][] chunks()
    {
        return chunks;
    }

    long allocatedBytes()
    {
        return allocatedBytes;
    }

    static int chunkIndex(long address)
    {
        return (int) (address >>> OFFSET_BITS);
    }

    static int offset(long address)
    {
        return (int) (address & OFFSET_MASK);
    }
}
