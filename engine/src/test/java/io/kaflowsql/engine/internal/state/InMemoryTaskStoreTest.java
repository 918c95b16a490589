package io.kaflowsql.engine.internal.state;

class InMemoryTaskStoreTest
        extends TaskStoreContractTest
{
    @Override
    protected TaskStore createStore()
    {
        return new InMemoryTaskStore();
    }
}
