package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RocksTaskStore#sizes()}, which the task's state gauges sample. */
class RocksTaskStoreSizesTest
{
    @TempDir
    Path dir;

    @Test
    void sizesGrowWithEventRowsAndHeldRecords()
    {
        try (RocksTaskStore store = RocksTaskStore.open(dir.resolve("task"), RocksTaskStoreOptions.DEFAULTS)) {
            RocksTaskStore.Sizes empty = store.sizes();
            for (int i = 0; i < 1_000; i++) {
                store.putEvent(1, "user-" + i, new StoredRow(i, 10_000 + i, new Object[] {"user-" + i, "a value of some length"}));
            }
            store.holdPending(new StoredRow(1, 100, new Object[] {"click"}), List.of(new LookupKey(1, "nobody")));

            RocksTaskStore.Sizes filled = store.sizes();

            assertThat(filled.bytes()).isGreaterThan(empty.bytes());
            assertThat(filled.keys()).isBetween(900L, 1_100L);
            assertThat(filled.pendingRecords()).isEqualTo(1);
            assertThat(empty.pendingRecords()).isZero();
        }
    }

    @Test
    void closedStoreRefusesToReportSizes()
    {
        RocksTaskStore store = RocksTaskStore.open(dir.resolve("task"), RocksTaskStoreOptions.DEFAULTS);
        store.close();

        assertThatThrownBy(store::sizes).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
