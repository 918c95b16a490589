package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocksTaskStoreTest
        extends TaskStoreContractTest
{
    @TempDir
    Path dir;

    @Override
    protected TaskStore createStore()
    {
        return RocksTaskStore.open(dir.resolve("task"), RocksTaskStoreOptions.DEFAULTS.withReadCacheEntries(1_000));
    }

    @Override
    protected TaskStore reopen(TaskStore closing)
    {
        closing.close();
        return createStore();
    }

    @Test
    void survivesReopenWithoutFlushThroughWal()
    {
        store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
        store.close();

        store = createStore();

        assertThat(store.getEvent(1, "u1").values()).containsExactly("a");
    }

    @Test
    void readsSameRowsWithoutReadCache()
    {
        store.close();
        store = RocksTaskStore.open(dir.resolve("uncached"), RocksTaskStoreOptions.DEFAULTS.withReadCacheEntries(0));
        store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
        store.putEvent(1, "u1", new StoredRow(2, 200, new Object[] {"b"}));

        assertThat(store.getEvent(1, "u1").values()).containsExactly("b");
        store.deleteEvent(1, "u1");
        assertThat(store.getEvent(1, "u1")).isNull();
    }

    @Test
    void readCacheEvictsButStaysCorrect()
    {
        store.close();
        store = RocksTaskStore.open(dir.resolve("tiny"), RocksTaskStoreOptions.DEFAULTS.withReadCacheEntries(2));
        for (int i = 0; i < 10; i++) {
            store.putEvent(1, "k" + i, new StoredRow(i, 100, new Object[] {(long) i}));
        }
        for (int i = 0; i < 10; i++) {
            assertThat(store.getEvent(1, "k" + i).values()).containsExactly((long) i);
        }
        store.expire(100, pending -> {});
        for (int i = 0; i < 10; i++) {
            assertThat(store.getEvent(1, "k" + i)).isNull();
        }
    }

    @Test
    void reportsBytesOnDisk()
    {
        store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
        store.flush();

        assertThat(store.stats().bytesOnDisk()).isPositive();
    }

    @Test
    void checkpointOpensAsAnIndependentStore()
    {
        RocksTaskStore rocks = (RocksTaskStore) store;
        rocks.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
        long id = rocks.holdPending(new StoredRow(1, 100, new Object[] {"p"}), List.of(new LookupKey(1, "u9")));
        Path checkpoint = dir.resolve("checkpoint");

        rocks.checkpoint(checkpoint);
        rocks.putEvent(1, "u1", new StoredRow(2, 200, new Object[] {"after"}));

        try (TaskStore restored = RocksTaskStore.open(checkpoint, RocksTaskStoreOptions.DEFAULTS)) {
            assertThat(restored.getEvent(1, "u1").values()).containsExactly("a");
            assertThat(restored.pendingFor(1, "u9")).singleElement().extracting(PendingRecord::id).isEqualTo(id);
            assertThat(restored.holdPending(new StoredRow(1, 100, new Object[0]), List.of())).isGreaterThan(id);
        }
    }

    @Test
    void failsClearlyWhenDirectoryIsLocked()
    {
        assertThatThrownBy(this::createStore)
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(dir.resolve("task").toString());
        assertThat(Files.exists(dir.resolve("task"))).isTrue();
    }
}
