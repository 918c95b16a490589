package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.InvalidDimensionSnapshotException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which peer snapshots a pipeline accepts: its own name, plan fingerprint and offsets inside the partitions. */
class DimensionSnapshotsTest
{
    private static final TopicPartition USERS_0 = new TopicPartition("users", 0);
    private static final TopicPartition USERS_1 = new TopicPartition("users", 1);

    @TempDir
    Path dir;

    private static CompiledPipeline pipeline(String name, String userColumns)
    {
        return new PipelineLoader().load("""
                name: %s
                query: |
                  SELECT c.event_id, %s
                  FROM clicks c
                  LEFT JOIN users u ON c.user_id = u.user_id
                output:
                  topic: enriched
                state:
                  dimensions: [users]
                """.formatted(name, userColumns), name + ".yaml");
    }

    private static DimensionTable[] tables()
    {
        return new DimensionTable[] {null, new CompactDimensionTable()};
    }

    private Path snapshotOf(CompiledPipeline pipeline, long usersPartition0Offset)
            throws IOException
    {
        DimensionTable[] tables = tables();
        tables[1].upsert(null, "u1", new Object[] {"u1", "premium"});
        tables[1].upsert("k2", "u2", new Object[] {"u2", "free"});
        Path file = dir.resolve(pipeline.name() + "-" + usersPartition0Offset + ".kfds");
        new DimensionSnapshots(pipeline, tables).write(file, Map.of(USERS_0, usersPartition0Offset));
        return file;
    }

    @Test
    void loadsASnapshotOfTheSamePipelineWithItsOffsets()
            throws IOException
    {
        CompiledPipeline pipeline = pipeline("enrich", "u.tier");
        Path file = snapshotOf(pipeline, 5);
        DimensionTable[] tables = tables();

        DimensionSnapshots.Loaded loaded = new DimensionSnapshots(pipeline, tables).load(file, Map.of(USERS_0, 0L, USERS_1, 0L),
                Map.of(USERS_0, 9L, USERS_1, 3L));

        assertThat(loaded.rows()).isEqualTo(2);
        assertThat(loaded.offsets()).isEqualTo(Map.of(USERS_0, 5L)); // users-1 is not in the snapshot: read from the beginning
        assertThat(tables[1].get("u2")).containsExactly("u2", "free");
    }

    @Test
    void rejectsASnapshotOfAnotherVersionOfTheDimensionPlan()
            throws IOException
    {
        Path file = snapshotOf(pipeline("enrich", "u.tier"), 5);
        DimensionTable[] tables = tables();
        CompiledPipeline changed = pipeline("enrich", "u.tier, u.age_group");

        assertThat(DimensionSnapshots.fingerprint(changed)).isNotEqualTo(DimensionSnapshots.fingerprint(pipeline("enrich", "u.tier")));
        assertThatThrownBy(() -> new DimensionSnapshots(changed, tables).load(file, Map.of(USERS_0, 0L), Map.of(USERS_0, 9L)))
                .isInstanceOf(InvalidDimensionSnapshotException.class)
                .hasMessageContaining("another version");
        assertThat(tables[1].size()).isZero();
    }

    @Test
    void rejectsASnapshotOfAnotherPipeline()
            throws IOException
    {
        Path file = snapshotOf(pipeline("other", "u.tier"), 5);
        DimensionTable[] tables = tables();

        assertThatThrownBy(() -> new DimensionSnapshots(pipeline("enrich", "u.tier"), tables).load(file, Map.of(USERS_0, 0L), Map.of(USERS_0, 9L)))
                .isInstanceOf(InvalidDimensionSnapshotException.class)
                .hasMessageContaining("pipeline other");
        assertThat(tables[1].size()).isZero();
    }

    @Test
    void rejectsOffsetsOutsideThePartitionBecauseItsRowsNoLongerMatchTheTopic()
            throws IOException
    {
        CompiledPipeline pipeline = pipeline("enrich", "u.tier");
        Path file = snapshotOf(pipeline, 5);
        DimensionSnapshots snapshots = new DimensionSnapshots(pipeline, tables());

        assertThatThrownBy(() -> snapshots.load(file, Map.of(USERS_0, 0L), Map.of(USERS_0, 4L))).hasMessageContaining("outside");
        assertThatThrownBy(() -> snapshots.load(file, Map.of(USERS_0, 6L), Map.of(USERS_0, 9L))).hasMessageContaining("outside");
        assertThatThrownBy(() -> snapshots.load(file, Map.of(USERS_1, 0L), Map.of(USERS_1, 9L))).hasMessageContaining("does not read");
    }

    @Test
    void clearsTheTablesWhenTheRowsTurnOutCorrupt()
            throws IOException
    {
        CompiledPipeline pipeline = pipeline("enrich", "u.tier");
        Path file = snapshotOf(pipeline, 5);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 13] ^= 0x40; // the last row's last byte (before the row total and the checksum)
        Files.write(file, bytes);
        DimensionTable[] tables = tables();

        assertThatThrownBy(() -> new DimensionSnapshots(pipeline, tables).load(file, Map.of(USERS_0, 0L), Map.of(USERS_0, 9L)))
                .isInstanceOf(InvalidDimensionSnapshotException.class);
        assertThat(tables[1].size()).isZero();
        assertThat(tables[1].get("u1")).isNull();
    }
}
