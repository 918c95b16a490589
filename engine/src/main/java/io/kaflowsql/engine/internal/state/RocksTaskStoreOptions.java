package io.kaflowsql.engine.internal.state;

/**
 * Tuning of one {@link RocksTaskStore}.
 *
 * @param readCacheEntries entries of the decoded event-row read cache (0 disables it)
 * @param blockCacheBytes RocksDB block cache of this store (uncompressed blocks)
 * @param writeBufferBytes size of one memtable per column family
 * @param maxWriteBuffers memtables per column family before writes stall
 * @param writeAheadLog whether writes go through RocksDB's write-ahead log, so that a store reopened after a crash
 *        holds them; a store that is rebuilt from a checkpoint and its changelog after every restart never reads its
 *        log back, and skips it (checkpoints flush the memtables first, and a clean close flushes them too)
 */
public record RocksTaskStoreOptions(int readCacheEntries, long blockCacheBytes, long writeBufferBytes, int maxWriteBuffers, boolean writeAheadLog)
{
    public static final RocksTaskStoreOptions DEFAULTS = new RocksTaskStoreOptions(100_000, 16L << 20, 8L << 20, 3, true);

    /**
     * The stream thread's task stores: the live store is never trusted after a restart ({@code TaskRestorer} rebuilds
     * it from a checkpoint and the changelog), so its writes skip the write-ahead log (holding a record: 8.7 instead of
     * 11.1 µs, EngineStagesBenchmark.holdPending).
     */
    public static final RocksTaskStoreOptions REBUILT_ON_RESTART = DEFAULTS.withWriteAheadLog(false);

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
        return new RocksTaskStoreOptions(entries, blockCacheBytes, writeBufferBytes, maxWriteBuffers, writeAheadLog);
    }

    public RocksTaskStoreOptions withBlockCacheBytes(long bytes)
    {
        return new RocksTaskStoreOptions(readCacheEntries, bytes, writeBufferBytes, maxWriteBuffers, writeAheadLog);
    }

    public RocksTaskStoreOptions withWriteBufferBytes(long bytes)
    {
        return new RocksTaskStoreOptions(readCacheEntries, blockCacheBytes, bytes, maxWriteBuffers, writeAheadLog);
    }

    public RocksTaskStoreOptions withWriteAheadLog(boolean enabled)
    {
        return new RocksTaskStoreOptions(readCacheEntries, blockCacheBytes, writeBufferBytes, maxWriteBuffers, enabled);
    }
}
