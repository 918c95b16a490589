package io.kaflowsql.engine.internal.state;

class HashMapDimensionTableTest
        extends DimensionTableContractTest
{
    @Override
    protected DimensionTable createTable()
    {
        return new HashMapDimensionTable();
    }
}
