package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskCheckpointsWarmDirTest
{
    @TempDir
    Path taskDir;

    @Test
    void checkpointsRestoredIntoAnotherDirectoryLeaveTheLiveStoreAlone()
    {
        TaskCheckpoints live = new TaskCheckpoints(taskDir, 3);
        try (RocksTaskStore store = RocksTaskStore.open(live.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"live"}));
            live.write(store, 5, Map.of(), 1_000);
        }
        TaskCheckpoints warm = live.withLiveDir(taskDir.resolve("warm"));

        warm.materialize(warm.newestFirst().get(0));
        try (RocksTaskStore standby = RocksTaskStore.open(warm.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            standby.putEvent(1, "u2", new StoredRow(2, 100, new Object[] {"replayed"}));
            warm.write(standby, 8, Map.of(), 2_000);
        }
        warm.wipeLive();

        assertThat(warm.liveDir()).isEqualTo(taskDir.resolve("warm")).doesNotExist();
        assertThat(Files.isDirectory(live.liveDir())).isTrue();
        assertThat(live.newestFirst()).extracting(TaskCheckpoints.Checkpoint::changelogOffset).containsExactly(8L, 5L);
        live.materialize(live.newestFirst().get(0));
        try (RocksTaskStore restored = RocksTaskStore.open(live.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            assertThat(restored.getEvent(1, "u2").values()).containsExactly("replayed");
        }
    }
}
