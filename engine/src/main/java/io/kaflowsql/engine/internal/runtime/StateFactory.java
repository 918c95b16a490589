package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;

/** The dimension table implementation the runtime uses: the compact in-memory table (measured: see docs/performance.md). */
final class StateFactory
{
    private StateFactory() {}

    static DimensionTable newDimensionTable()
    {
        return new CompactDimensionTable();
    }
}
