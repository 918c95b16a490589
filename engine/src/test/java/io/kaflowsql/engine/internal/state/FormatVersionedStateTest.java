package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.state.TaskCheckpoints.Checkpoint;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.SupportedVersions;
import io.kaflowsql.protocol.UnsupportedFormatVersionException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The format versions of a task's persisted state: checkpoint manifests and changelog records, read by a node of
 * version N (reads 1) and of N+1 (reads 1 and 2), written before versions existed (no version: 1).
 */
class FormatVersionedStateTest
{
    private static final SupportedVersions N = SupportedVersions.current();
    private static final SupportedVersions N_PLUS_1 = SupportedVersions.bumped();

    @TempDir
    Path dir;

    @Test
    void checkpointManifestCarriesTheVersionWrittenNow()
            throws IOException
    {
        FormatVersions versions = FormatVersions.of(N_PLUS_1);
        TaskCheckpoints checkpoints = new TaskCheckpoints(dir, 3, versions);

        Checkpoint old = write(checkpoints, 1);
        versions.negotiate(List.of(N_PLUS_1));
        Checkpoint bumped = write(checkpoints, 2);

        assertThat(manifest(old).getProperty(TaskCheckpoints.FORMAT_VERSION_KEY)).isEqualTo("1");
        assertThat(manifest(bumped).getProperty(TaskCheckpoints.FORMAT_VERSION_KEY)).isEqualTo("2");
        assertThat(checkpoints.newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(2L, 1L);
    }

    @Test
    void nodeOfVersionNSkipsACheckpointOfVersionNPlusOneAndKeepsTheOlderOne()
    {
        FormatVersions writer = FormatVersions.standalone(N_PLUS_1);
        TaskCheckpoints nPlusOne = new TaskCheckpoints(dir, 3, FormatVersions.of(N_PLUS_1));
        write(nPlusOne, 1);
        write(new TaskCheckpoints(dir, 3, writer), 2);

        assertThat(new TaskCheckpoints(dir, 3, FormatVersions.of(N)).newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(1L);
        assertThat(nPlusOne.newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(2L, 1L);
    }

    @Test
    void checkpointWithoutVersionIsVersionOne()
            throws IOException
    {
        TaskCheckpoints checkpoints = new TaskCheckpoints(dir, 3, FormatVersions.of(N));
        Checkpoint written = write(checkpoints, 5);
        Path manifest = written.dir().resolve(TaskCheckpoints.MANIFEST);
        List<String> withoutVersion = Files.readAllLines(manifest).stream().filter(line -> !line.startsWith(TaskCheckpoints.FORMAT_VERSION_KEY)).toList();
        Files.write(manifest, withoutVersion);

        assertThat(manifest(written).getProperty(TaskCheckpoints.FORMAT_VERSION_KEY)).isNull();
        assertThat(new TaskCheckpoints(dir, 3, FormatVersions.of(N)).newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(5L);
        assertThat(new TaskCheckpoints(dir, 3, FormatVersions.of(N_PLUS_1)).newestFirst()).extracting(Checkpoint::changelogOffset).containsExactly(5L);
    }

    @Test
    void receivedCheckpointOfAnUnreadableVersionIsRefusedNamingTheVersions()
            throws IOException
    {
        Path source = dir.resolve("source");
        Checkpoint bumped = write(new TaskCheckpoints(source, 3, FormatVersions.standalone(N_PLUS_1)), 3);
        Path received = dir.resolve("received");
        Files.createDirectories(received);
        try (var files = Files.list(bumped.dir())) {
            for (Path file : files.toList()) {
                Files.copy(file, received.resolve(file.getFileName()));
            }
        }

        TaskCheckpoints target = new TaskCheckpoints(dir.resolve("target"), 3, FormatVersions.of(N));
        assertThatThrownBy(() -> target.publish(received))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpoint manifest")
                .hasMessageContaining("format version 2, this node reads versions 1");
        assertThat(received).exists();
    }

    @Test
    void changelogRecordWithoutHeaderIsVersionOneAndItsHeaderNamesItsVersion()
    {
        RecordHeaders none = new RecordHeaders();
        RecordHeaders two = new RecordHeaders();
        two.add(ChangelogRecords.VERSION_HEADER, ChangelogRecords.versionHeader(2));

        assertThat(ChangelogRecords.version(none)).isEqualTo(1);
        assertThat(ChangelogRecords.version(two)).isEqualTo(2);
        ChangelogRecords.checkVersion(none, N, "at offset 0");
        ChangelogRecords.checkVersion(none, N_PLUS_1, "at offset 0");
        ChangelogRecords.checkVersion(two, N_PLUS_1, "at offset 1");
    }

    @Test
    void nodeOfVersionNRefusesAChangelogRecordOfVersionNPlusOne()
    {
        RecordHeaders two = new RecordHeaders();
        two.add(ChangelogRecords.VERSION_HEADER, ChangelogRecords.versionHeader(2));

        assertThatThrownBy(() -> ChangelogRecords.checkVersion(two, N, "at offset 7 of p-changelog-0"))
                .isInstanceOfSatisfying(UnsupportedFormatVersionException.class, e -> assertThat(e.format()).isEqualTo(Format.CHANGELOG))
                .hasMessageContaining("changelog record at offset 7 of p-changelog-0 has format version 2, this node reads versions 1");
        assertThatThrownBy(() -> ChangelogRecords.versionHeader(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Checkpoint write(TaskCheckpoints checkpoints, long changelogOffset)
    {
        try (RocksTaskStore store = RocksTaskStore.open(checkpoints.liveDir(), RocksTaskStoreOptions.DEFAULTS)) {
            store.putEvent(1, "k" + changelogOffset, new StoredRow(changelogOffset, 100, new Object[] {changelogOffset}));
            return checkpoints.write(store, changelogOffset, Map.of("clicks-0", changelogOffset), changelogOffset);
        }
    }

    private static Properties manifest(Checkpoint checkpoint)
            throws IOException
    {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(checkpoint.dir().resolve(TaskCheckpoints.MANIFEST), StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
