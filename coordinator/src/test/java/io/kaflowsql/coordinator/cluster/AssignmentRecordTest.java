package io.kaflowsql.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.TaskId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssignmentRecordTest
{
    private static final AssignmentRecord RECORD = new AssignmentRecord(7, "a",
            new Assignment(Map.of(new TaskId("orders", 0), "a", new TaskId("my-orders", 11), "b"),
                    Map.of(new TaskId("orders", 0), List.of("b", "c"))),
            List.of("a", "b", "c"));

    @Test
    void roundTripsThroughVersionedJsonWithTaskIdsAsText()
            throws Exception
    {
        String json = RECORD.toJson();

        var tree = new ObjectMapper().readTree(json);
        assertThat(tree.get("version").asInt()).isEqualTo(AssignmentRecord.VERSION);
        assertThat(tree.get("owners").has("my-orders-11")).isTrue();
        assertThat(AssignmentRecord.fromJson(json)).isEqualTo(RECORD);
    }

    @Test
    void rejectsARecordWithoutGeneration()
    {
        assertThatThrownBy(() -> AssignmentRecord.fromJson("{\"leaderNodeId\":\"a\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generation");
    }

    @Test
    void splitBrainMergeKeepsTheHigherGeneration()
    {
        String older = new AssignmentRecord(3, "a", Assignment.EMPTY, List.of()).toJson();
        String newer = new AssignmentRecord(4, "x", Assignment.EMPTY, List.of()).toJson();

        assertThat(HigherGenerationMergePolicy.prefersMerging(newer, older)).isTrue();
        assertThat(HigherGenerationMergePolicy.prefersMerging(older, newer)).isFalse();
        assertThat(HigherGenerationMergePolicy.prefersMerging(older, older)).isFalse();
        assertThat(HigherGenerationMergePolicy.prefersMerging("garbage", older)).isFalse();
        assertThat(HigherGenerationMergePolicy.prefersMerging(older, "garbage")).isTrue();
    }
}
