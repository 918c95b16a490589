package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.state.TaskCheckpoints.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TaskCheckpointsTest
{
    @TempDir
    Path taskDir;

    @Test
    void restoresTheStateAndOffsetsOfTheNewestCheckpoint()
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"first"}));
            checkpoints.write(store, 7, Map.of("clicks-0", 40L), 1_000);
            store.putEvent(1, "u1", new StoredRow(2, 100, new Object[] {"second"}));
            checkpoints.write(store, 9, Map.of("clicks-0", 50L), 2_000);
            store.putEvent(1, "u1", new StoredRow(3, 100, new Object[] {"uncheckpointed"}));
        }

        List<Checkpoint> found = checkpoints.newestFirst();
        assertThat(found).extracting(Checkpoint::changelogOffset).containsExactly(9L, 7L);
        assertThat(found.get(0).inputOffsets()).containsEntry("clicks-0", 50L);
        checkpoints.materialize(found.get(0));
        try (RocksTaskStore restored = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            assertThat(restored.getEvent(1, "u1").values()).containsExactly("second");
        }
        // the checkpoint is untouched by writes to the store restored from it
        checkpoints.materialize(checkpoints.newestFirst().get(0));
        try (RocksTaskStore again = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            assertThat(again.getEvent(1, "u1").values()).containsExactly("second");
        }
    }

    @Test
    void keepsOnlyTheNewestCheckpoints()
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            for (int i = 1; i <= 4; i++) {
                store.putEvent(1, "k" + i, new StoredRow(i, 100, new Object[] {(long) i}));
                checkpoints.write(store, i, Map.of(), i);
            }
        }

        assertThat(checkpoints.newestFirst()).extracting(Checkpoint::sequence).containsExactly(4L, 3L);
    }

    @Test
    void ignoresAnInterruptedCheckpointAndOneWithADamagedFile()
            throws IOException
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 3);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"good"}));
            checkpoints.write(store, 1, Map.of(), 1);
            store.putEvent(1, "u1", new StoredRow(2, 100, new Object[] {"damaged"}));
            Checkpoint damaged = checkpoints.write(store, 2, Map.of(), 2);
            // SST files are hard links shared between checkpoints; the MANIFEST is each checkpoint's own copy
            Path manifest = damaged.files().keySet().stream().filter(name -> name.startsWith("MANIFEST")).findFirst()
                    .map(damaged.dir()::resolve).orElseThrow();
            Files.write(manifest, new byte[] {1, 2, 3});
        }
        Path interrupted = Files.createDirectories(taskDir.resolve("checkpoints").resolve("tmp-000000000009"));
        Files.writeString(interrupted.resolve("CURRENT"), "MANIFEST-000001\n");

        assertThat(checkpoints.newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(1L);
        assertThat(interrupted).doesNotExist();
    }

    @Test
    void aManifestRewrittenAfterItWasListedIsReadAgain()
            throws IOException
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 3);
        Checkpoint written;
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"a"}));
            written = checkpoints.write(store, 7, Map.of(), 1);
        }
        assertThat(new TaskCheckpoints(taskDir, 3).newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(7L);

        Path manifest = written.dir().resolve(TaskCheckpoints.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("changelog.offset=7", "changelog.offset=1234"));

        assertThat(new TaskCheckpoints(taskDir, 3).newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(1234L);
        Files.writeString(manifest, "changelog.offset=oops\n");
        assertThat(new TaskCheckpoints(taskDir, 3).newestFirst()).isEmpty();
    }

    @Test
    void aCheckpointWithoutManifestIsNotUsed()
            throws IOException
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            Checkpoint checkpoint = checkpoints.write(store, 3, Map.of(), 1);
            Files.delete(checkpoint.dir().resolve("checkpoint.properties"));
        }

        assertThat(checkpoints.newestFirst()).isEmpty();
        try (Stream<Path> files = Files.list(taskDir.resolve("checkpoints"))) {
            assertThat(files).hasSize(1); // kept for inspection, never used
        }
    }

    @Test
    void checkpointAfterADamagedNewerOneTakesTheNextFreeSequence()
            throws IOException
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            checkpoints.write(store, 1, Map.of(), 1);
            Checkpoint damaged = checkpoints.write(store, 2, Map.of(), 2);
            Files.delete(damaged.dir().resolve("checkpoint.properties")); // e.g. files deleted under a running node

            Checkpoint next = checkpoints.write(store, 3, Map.of(), 3);

            assertThat(next.sequence()).isEqualTo(3);
            assertThat(checkpoints.newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(3L, 1L);
        }
    }

    @Test
    void receivedCheckpointIsPublishedPastADamagedNewerOne(@TempDir Path peerDir)
            throws IOException
    {
        TaskCheckpoints peer = new TaskCheckpoints(peerDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(peer.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"from the peer"}));
            peer.write(store, 8, Map.of(), 8);
        }
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            checkpoints.write(store, 1, Map.of(), 1);
            Checkpoint damaged = checkpoints.write(store, 2, Map.of(), 2);
            Files.delete(damaged.dir().resolve("checkpoint.properties"));
        }
        Path received = peerDir.resolve("received");
        peer.linkInto(1, received).orElseThrow();

        Checkpoint published = checkpoints.publish(received);

        assertThat(published.sequence()).isEqualTo(3);
        assertThat(checkpoints.newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(8L, 1L);
        // a standby receives a checkpoint every few seconds: remembering each received directory would grow for ever
        assertThat(TaskCheckpoints.remembersManifestOf(received)).isFalse();
        assertThat(TaskCheckpoints.remembersManifestOf(published.dir())).isTrue();
    }
}
