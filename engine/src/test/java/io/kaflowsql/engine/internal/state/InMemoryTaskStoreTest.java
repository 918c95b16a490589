package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the task-store contract (its assertions live in {@link TaskStoreContractTest}) against the in-memory store. */
class InMemoryTaskStoreTest
        extends TaskStoreContractTest
{
    @Override
    protected TaskStore createStore()
    {
        return new InMemoryTaskStore();
    }

    @Test
    void aHeldRecordsKeysAreDistinctInFirstSeenOrder()
    {
        LookupKey user = new LookupKey(1, "u1");
        LookupKey product = new LookupKey(2, "p1");
        LookupKey history = new LookupKey(3, "u1");

        assertThat(InMemoryTaskStore.distinct(List.of())).isEmpty();
        assertThat(InMemoryTaskStore.distinct(List.of(user, product, history))).containsExactly(user, product, history);
        assertThat(InMemoryTaskStore.distinct(List.of(product, user, new LookupKey(2, "p1"), user))).containsExactly(product, user);
    }
}
