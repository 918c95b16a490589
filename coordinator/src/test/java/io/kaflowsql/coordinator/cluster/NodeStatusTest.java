package io.kaflowsql.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.coordinator.assignment.TaskId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeStatusTest
{
    private static final NodeStatus STATUS = new NodeStatus("node-1", UUID.randomUUID(), "10.0.0.1:7001", NodeLifecycle.READY,
            NodeStatus.partitionCounts(FakeLocalTasks.tasks("orders", 4)), Set.of("orders"), Set.of(new TaskId("orders", 1)),
            Set.of(new TaskId("orders", 3)), Map.of(new TaskId("orders", 2), 1234L), Instant.ofEpochMilli(1_700_000_000_000L));

    @Test
    void roundTripsThroughVersionedJson()
            throws Exception
    {
        String json = STATUS.toJson();

        assertThat(new ObjectMapper().readTree(json).get("version").asInt()).isEqualTo(NodeStatus.VERSION);
        assertThat(NodeStatus.fromJson(json)).isEqualTo(STATUS);
        assertThat(NodeStatus.fromJson(json).knownTasks()).isEqualTo(FakeLocalTasks.tasks("orders", 4));
    }

    @Test
    void ignoresFieldsANewerNodeAdded()
            throws Exception
    {
        ObjectNode newer = (ObjectNode) new ObjectMapper().readTree(STATUS.toJson());
        newer.put("version", 2);
        newer.put("diskFreeBytes", 123);

        assertThat(NodeStatus.fromJson(newer.toString())).isEqualTo(STATUS);
    }

    @Test
    void rejectsSomethingElseNamingTheMissingField()
    {
        assertThatThrownBy(() -> NodeStatus.fromJson("{\"version\":1}")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> NodeStatus.fromJson("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lifecycleAllowsOnlyForwardTransitionsAndReportsThemInOrder()
    {
        NodeLifecycleTracker tracker = new NodeLifecycleTracker("node-1");
        java.util.List<String> seen = new java.util.ArrayList<>();
        tracker.addListener((from, to) -> seen.add(from + "->" + to));

        assertThat(tracker.moveTo(NodeLifecycle.READY)).isFalse();
        assertThat(tracker.moveTo(NodeLifecycle.BOOTSTRAPPING)).isTrue();
        assertThat(tracker.moveTo(NodeLifecycle.READY)).isTrue();
        assertThat(tracker.moveTo(NodeLifecycle.BOOTSTRAPPING)).isFalse();
        assertThat(tracker.moveTo(NodeLifecycle.DRAINING)).isTrue();
        assertThat(tracker.moveTo(NodeLifecycle.READY)).isFalse();
        assertThat(tracker.moveTo(NodeLifecycle.LEFT)).isTrue();
        assertThat(tracker.moveTo(NodeLifecycle.LEFT)).isFalse();

        assertThat(tracker.state()).isEqualTo(NodeLifecycle.LEFT);
        assertThat(seen).containsExactly("JOINING->BOOTSTRAPPING", "BOOTSTRAPPING->READY", "READY->DRAINING", "DRAINING->LEFT");
        assertThat(NodeLifecycle.READY.acceptsTasks()).isTrue();
        assertThat(NodeLifecycle.DRAINING.acceptsTasks()).isFalse();
        assertThat(NodeLifecycle.BOOTSTRAPPING.acceptsTasks()).isFalse();
    }
}
