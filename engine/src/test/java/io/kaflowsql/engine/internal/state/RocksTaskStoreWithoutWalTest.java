package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream thread's stores ({@link RocksTaskStoreOptions#REBUILT_ON_RESTART}) skip RocksDB's write-ahead log: they
 * must still keep every write across a clean close and in a checkpoint, which is all a rebuilt store ever reads.
 */
class RocksTaskStoreWithoutWalTest
        extends TaskStoreContractTest
{
    @TempDir
    Path dir;

    @Override
    protected TaskStore createStore()
    {
        return RocksTaskStore.open(dir.resolve("task"), RocksTaskStoreOptions.REBUILT_ON_RESTART.withReadCacheEntries(1_000));
    }

    @Override
    protected TaskStore reopen(TaskStore closing)
    {
        closing.close();
        return createStore();
    }

    @Test
    void writesSkipTheLogYetACheckpointHoldsThemAll()
            throws IOException
    {
        RocksTaskStore rocks = (RocksTaskStore) store;
        for (int i = 0; i < 1_000; i++) {
            rocks.putEvent(1, "u" + i, new StoredRow(i, 100_000, new Object[] {"value " + i}));
        }
        long id = rocks.holdPending(new StoredRow(1, 100_000, new Object[] {"p"}), List.of(new LookupKey(1, "u9999")));
        rocks.flush();
        assertThat(walBytes(dir.resolve("task"))).isZero();

        Path checkpoint = dir.resolve("checkpoint");
        rocks.checkpoint(checkpoint);

        try (TaskStore restored = RocksTaskStore.open(checkpoint, RocksTaskStoreOptions.REBUILT_ON_RESTART)) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(restored.getEvent(1, "u" + i).values()).containsExactly("value " + i);
            }
            assertThat(restored.pendingFor(1, "u9999")).singleElement().extracting(PendingRecord::id).isEqualTo(id);
        }
    }

    @Test
    void theDefaultStoreStillLogsItsWrites()
            throws IOException
    {
        try (RocksTaskStore logged = RocksTaskStore.open(dir.resolve("logged"), RocksTaskStoreOptions.DEFAULTS)) {
            logged.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
            logged.flush();

            assertThat(walBytes(dir.resolve("logged"))).isPositive();
        }
    }

    private static long walBytes(Path storeDir)
            throws IOException
    {
        try (Stream<Path> files = Files.list(storeDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).mapToLong(file -> file.toFile().length()).sum();
        }
    }
}
