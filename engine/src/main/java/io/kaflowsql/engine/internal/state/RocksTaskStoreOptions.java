package io.kaflowsql.engine.internal.state;

/**
 * Tuning of one {@link RocksTaskStore}.
 *
 * @param readCacheEntries entries of the decoded event-row read cache (0 disables it)
 * @param blockCacheBytes RocksDB block cache of this store (uncompressed blocks)
 * @param writeBufferBytes size of one memtable per column family
 * @param maxWriteBuffers memtables per column family before writes stall
 */
public record RocksTaskStoreOptions(int readCacheEntries, long blockCacheBytes, long writeBufferBytes, int maxWriteBuffers)
{
    public static final RocksTaskStoreOptions DEFAULTS = new RocksTaskStoreOptions(100_000, 16L << 20, 8L << 20, 3);

    public RocksTaskStoreOptions
    {
        if (readCacheEntries < 0) {
            throw new IllegalArgumentException("readCacheEntries must be >= 0: " + readCacheEntries);
        }
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("blockCacheBytes must be >= 0: " + blockCacheBytes);
        }
        if (writeBufferBytes < 64 << 10) {
            throw new IllegalArgumentException("writeBufferBytes must be >= 64 KiB: " + writeBufferBytes);
        }
        if (maxWriteBuffers < 2) {
            throw new IllegalArgumentException("maxWriteBuffers must be >= 2: " + maxWriteBuffers);
        }
    }

    public RocksTaskStoreOptions withReadCacheEntries(int entries)
    {
        return new RocksTaskStoreOptions(entries, blockCacheBytes, writeBufferBytes, maxWriteBuffers);
    }

    public RocksTaskStoreOptions withBlockCacheBytes(long bytes)
    {
        return new RocksTaskStoreOptions(readCacheEntries, bytes, writeBufferBytes, maxWriteBuffers);
    }

    public RocksTaskStoreOptions withWriteBufferBytes(long bytes)
    {
        return new RocksTaskStoreOptions(readCacheEntries, blockCacheBytes, bytes, maxWriteBuffers);
    }
}
