package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.TaskStore;

import java.nio.file.Path;

/**
 * The store implementations the runtime uses: RocksDB for task state (durable, bounded by TTL), the
 * compact in-memory table for dimensions (measured: see docs/performance.md).
 */
final class StateFactory
{
    private StateFactory() {}

    static TaskStore openTaskStore(Path dir)
    {
        return RocksTaskStore.open(dir, RocksTaskStoreOptions.DEFAULTS);
    }

    static DimensionTable newDimensionTable()
    {
        return new CompactDimensionTable();
    }
}
