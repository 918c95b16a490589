package io.kaflowsql.engine.api.runtime;

import io.kaflowsql.engine.api.runtime.TaskStateDirectory.CheckpointFiles;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory.PinnedCheckpoint;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StoredRow;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStateDirectoryTest
{
    @TempDir
    Path root;

    @Test
    void aPinnedCheckpointSurvivesPruningAndPublishesOnAnotherNode()
            throws IOException
    {
        Path sender = root.resolve("sender");
        TaskCheckpoints checkpoints = new TaskCheckpoints(sender, 1);
        TaskStateDirectory directory = new TaskStateDirectory(sender, 1);
        PinnedCheckpoint pin;
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(1, 100, new Object[] {"pinned"}));
            checkpoints.write(store, 7, Map.of(), 1);
            CheckpointFiles newest = directory.newest().orElseThrow();
            assertThat(newest.changelogOffset()).isEqualTo(7);
            assertThat(newest.files()).containsKey(TaskCheckpoints.MANIFEST);
            pin = directory.pin(newest);
            store.putEvent(1, "u1", new StoredRow(2, 100, new Object[] {"later"}));
            checkpoints.write(store, 9, Map.of(), 2);
            assertThat(newest.dir()).doesNotExist(); // pruned: keep = 1
        }

        Path receiver = root.resolve("receiver");
        TaskStateDirectory into = new TaskStateDirectory(receiver, 2);
        Path incoming = into.incomingDir("t1");
        for (String file : pin.checkpoint().files().keySet()) {
            Files.copy(pin.checkpoint().dir().resolve(file), incoming.resolve(file));
        }
        CheckpointFiles published = into.publishIncoming("t1");

        assertThat(published.changelogOffset()).isEqualTo(7);
        assertThat(published.files()).isEqualTo(pin.checkpoint().files());
        assertThat(incoming).doesNotExist();
        assertThat(into.newest()).contains(published);
        assertThat(valueIn(receiver)).isEqualTo("pinned");
        directory.unpin(pin.id());
        assertThat(pin.checkpoint().dir()).doesNotExist();
    }

    @Test
    void aReceivedCheckpointBecomesTheNewestAndOldOnesArePruned()
            throws IOException
    {
        Path sender = root.resolve("sender");
        writeCheckpoint(sender, "remote", 50);
        CheckpointFiles remote = new TaskStateDirectory(sender, 2).newest().orElseThrow();
        Path receiver = root.resolve("receiver");
        writeCheckpoint(receiver, "local-1", 3);
        writeCheckpoint(receiver, "local-2", 4);
        TaskStateDirectory into = new TaskStateDirectory(receiver, 2);

        Path incoming = into.incomingDir("from-peer");
        for (String file : remote.files().keySet()) {
            Files.copy(remote.dir().resolve(file), incoming.resolve(file));
        }
        CheckpointFiles published = into.publishIncoming("from-peer");

        assertThat(published.sequence()).isEqualTo(3);
        assertThat(new TaskCheckpoints(receiver, 2).newestFirst()).extracting(TaskCheckpoints.Checkpoint::changelogOffset).containsExactly(50L, 4L);
        assertThat(valueIn(receiver)).isEqualTo("remote");
    }

    @Test
    void anIncompleteReceivedCheckpointIsNotPublished()
            throws IOException
    {
        Path sender = root.resolve("sender");
        writeCheckpoint(sender, "remote", 50);
        CheckpointFiles remote = new TaskStateDirectory(sender, 2).newest().orElseThrow();
        TaskStateDirectory into = new TaskStateDirectory(root.resolve("receiver"), 2);
        Path incoming = into.incomingDir("t1");
        String missing = remote.files().keySet().stream().filter(name -> name.endsWith(".sst") || name.startsWith("MANIFEST")).findFirst().orElseThrow();
        for (String file : remote.files().keySet()) {
            if (!file.equals(missing)) {
                Files.copy(remote.dir().resolve(file), incoming.resolve(file));
            }
        }

        assertThatThrownBy(() -> into.publishIncoming("t1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(missing);
        assertThat(into.newest()).isEmpty();
        assertThat(incoming).isDirectory(); // kept, so that a retry can resume
        Files.delete(incoming.resolve(TaskCheckpoints.MANIFEST));
        assertThatThrownBy(() -> into.publishIncoming("t1")).hasMessageContaining("no checkpoint.properties");
        assertThatThrownBy(() -> into.publishIncoming("never")).hasMessageContaining("nothing received");
        assertThatThrownBy(() -> into.incomingDir("../escape")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinsExpireAtTheNextPin()
    {
        Path sender = root.resolve("sender");
        writeCheckpoint(sender, "v", 1);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TaskStateDirectory directory = new TaskStateDirectory(sender, 2, clock, Duration.ofMinutes(10));
        PinnedCheckpoint old = directory.pin(directory.newest().orElseThrow());
        clock.advance(Duration.ofMinutes(6));
        PinnedCheckpoint used = directory.pin(directory.newest().orElseThrow());
        clock.advance(Duration.ofMinutes(6));
        directory.touch(used.id());
        directory.pin(directory.newest().orElseThrow());
        assertThat(old.checkpoint().dir()).doesNotExist();
        assertThat(used.checkpoint().dir()).isDirectory();

        clock.advance(Duration.ofMinutes(11));
        PinnedCheckpoint latest = directory.pin(directory.newest().orElseThrow());
        assertThat(used.checkpoint().dir()).doesNotExist();
        assertThat(latest.checkpoint().dir()).isDirectory();
    }

    @Test
    void pinsTakenWhileTheTaskCheckpointsAreAlwaysComplete()
            throws Exception
    {
        Path taskDir = root.resolve("task");
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 1);
        TaskStateDirectory directory = new TaskStateDirectory(taskDir, 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        List<PinnedCheckpoint> pins = new ArrayList<>();
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            checkpoints.write(store, 0, Map.of(), 0);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 1; !stop.get() && i < 300; i++) {
                        store.putEvent(1, "k" + i, new StoredRow(i, 100, new Object[] {(long) i}));
                        checkpoints.write(store, i, Map.of(), i);
                    }
                }
                catch (Throwable e) {
                    writerFailure.set(e);
                }
            });
            writer.start();
            try {
                for (int i = 0; i < 10; i++) {
                    directory.newest().ifPresent(newest -> {
                        try {
                            pins.add(directory.pin(newest));
                        }
                        catch (IllegalStateException e) {
                            assertThat(e).hasMessageContaining("pruned");
                        }
                    });
                }
            }
            finally {
                stop.set(true);
                writer.join();
            }
        }

        assertThat(writerFailure.get()).isNull();
        assertThat(pins).isNotEmpty();
        for (PinnedCheckpoint pin : pins) {
            for (Map.Entry<String, Long> file : pin.checkpoint().files().entrySet()) {
                assertThat(pin.checkpoint().dir().resolve(file.getKey())).hasSize(file.getValue());
            }
        }
    }

    private static void writeCheckpoint(Path taskDir, String value, long changelogOffset)
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "u1", new StoredRow(changelogOffset, 100, new Object[] {value}));
            checkpoints.write(store, changelogOffset, Map.of(), changelogOffset);
        }
    }

    private static Object valueIn(Path taskDir)
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, 2);
        checkpoints.materialize(checkpoints.newestFirst().get(0));
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            return store.getEvent(1, "u1").values()[0];
        }
    }

    private static final class MutableClock
            extends Clock
    {
        private Instant now;

        MutableClock(Instant now)
        {
            this.now = now;
        }

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public Instant instant()
        {
            return now;
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            return this;
        }
    }
}
