package io.kaflowsql.engine.internal.state;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The single owner of every native RocksDB handle of one task store: options, cache, filter, column
 * family handles, the database, and the reusable write batch. Handles are registered in creation
 * order and {@link #close() closed} in reverse order, also when opening fails half-way. Not
 * thread-safe (confined like the store).
 */
final class RocksResources
        implements AutoCloseable
{
    static final String EVENTS = "events";
    static final String PENDING = "pending";
    static final String PENDING_INDEX = "pending-index";
    static final String EXPIRY = "expiry";
    static final String META = "meta";

    static {
        RocksDB.loadLibrary();
    }

    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    final RocksDB db;
    /** Internal counters (next pending id, counts) live in the otherwise unused default family. */
    final ColumnFamilyHandle internal;
    final ColumnFamilyHandle events;
    final ColumnFamilyHandle pending;
    final ColumnFamilyHandle pendingIndex;
    final ColumnFamilyHandle expiry;
    final ColumnFamilyHandle meta;
    final WriteOptions writeOptions;
    /** For restore batches: the changelog is the durable copy, and the store is flushed when restore ends. */
    final WriteOptions unloggedWriteOptions;
    final ReadOptions readOptions;
    final WriteBatch batch;
    private boolean closed;

    RocksResources(Path dir, RocksTaskStoreOptions options)
            throws RocksDBException
    {
        try {
            LRUCache cache = own(new LRUCache(Math.max(1 << 20, options.blockCacheBytes())));
            BloomFilter bloom = own(new BloomFilter(10, false));
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setWholeKeyFiltering(true)
                    .setCacheIndexAndFilterBlocks(true)
                    .setPinL0FilterAndIndexBlocksInCache(true)
                    .setBlockSize(8 << 10);
            ColumnFamilyOptions cfOptions = own(new ColumnFamilyOptions()
                    .setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setWriteBufferSize(options.writeBufferBytes())
                    .setMaxWriteBufferNumber(options.maxWriteBuffers()));
            DBOptions dbOptions = own(new DBOptions()
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2)
                    .setKeepLogFileNum(2)
                    .setMaxTotalWalSize(64L << 20));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : List.of("default", EVENTS, PENDING, PENDING_INDEX, EXPIRY, META)) {
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(UTF_8), cfOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try {
                // the db is pushed before its column family handles, so the handles close first
                this.db = own(RocksDB.open(dbOptions, dir.toString(), descriptors, handles));
            }
            finally {
                handles.forEach(this::own);
            }
            this.internal = handles.get(0);
            this.events = handles.get(1);
            this.pending = handles.get(2);
            this.pendingIndex = handles.get(3);
            this.expiry = handles.get(4);
            this.meta = handles.get(5);
            this.writeOptions = own(new WriteOptions().setDisableWAL(!options.writeAheadLog()));
            this.unloggedWriteOptions = own(new WriteOptions().setDisableWAL(true));
            this.readOptions = own(new ReadOptions());
            this.batch = own(new WriteBatch());
        }
        catch (RocksDBException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T handle)
    {
        owned.push(handle);
        return handle;
    }

    /** Writes and clears the shared batch. */
    void writeBatch()
            throws RocksDBException
    {
        try {
            db.write(writeOptions, batch);
        }
        finally {
            batch.clear();
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            }
            catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("failed to close a RocksDB handle", e);
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
