package io.kaflowsql.engine.internal.state;

/** Runs the dimension-table contract (its assertions live in {@link DimensionTableContractTest}) against the hash-map table. */
class HashMapDimensionTableTest
        extends DimensionTableContractTest
{
    @Override
    protected DimensionTable createTable()
    {
        return new HashMapDimensionTable();
    }
}
