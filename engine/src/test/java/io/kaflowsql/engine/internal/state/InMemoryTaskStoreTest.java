package io.kaflowsql.engine.internal.state;

/** Runs the task-store contract (its assertions live in {@link TaskStoreContractTest}) against the in-memory store. */
class InMemoryTaskStoreTest
        extends TaskStoreContractTest
{
    @Override
    protected TaskStore createStore()
    {
        return new InMemoryTaskStore();
    }
}
