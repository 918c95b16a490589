package io.kaflowsql.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.SupportedVersions;
import io.kaflowsql.protocol.UnsupportedFormatVersionException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Nodes of version N and N+1 in one Hazelcast cluster: each advertises what it reads, the cluster writes what every
 * member reads, and the assignment record carries the version it was written in.
 */
class FormatNegotiationTest
{
    private static final SupportedVersions N = SupportedVersions.current();
    private static final SupportedVersions N_PLUS_1 = SupportedVersions.bumped();
    private static final AssignmentRecord RECORD = new AssignmentRecord(4, "a", new Assignment(Map.of(new TaskId("clicks", 0), "a"), Map.of()),
            List.of("a"));

    @Test
    void assignmentRecordCarriesItsVersionAndIsReadOnlyByNodesThatReadIt()
            throws IOException
    {
        String v2 = RECORD.toJson(2);

        assertThat(new ObjectMapper().readTree(v2).get("version").asInt()).isEqualTo(2);
        assertThat(AssignmentRecord.fromJson(v2, N_PLUS_1)).isEqualTo(RECORD);
        assertThatThrownBy(() -> AssignmentRecord.fromJson(v2, N))
                .isInstanceOf(UnsupportedFormatVersionException.class)
                .hasMessageContaining("assignment record has format version 2, this node reads versions 1");
        String unversioned = RECORD.toJson(1).replace("\"version\":1,", "");
        assertThat(unversioned).doesNotContain("version");
        assertThat(AssignmentRecord.fromJson(unversioned, N)).isEqualTo(RECORD);
        assertThat(AssignmentRecord.fromJson(unversioned, N_PLUS_1)).isEqualTo(RECORD);
    }

    @Test
    void nPlusOneNodeWritesNWhileAnNNodeIsAMemberAndSwitchesWhenItLeaves()
            throws InterruptedException
    {
        String cluster = "formats-" + UUID.randomUUID();
        List<Integer> ports = List.of(FreePorts.pick(), FreePorts.pick());
        FormatVersions newer = FormatVersions.of(N_PLUS_1);
        FormatVersions older = FormatVersions.of(N);
        Set<TaskId> tasks = FakeLocalTasks.tasks("clicks", 2);
        try (ClusterCoordinator oldNode = start("old", 0, ports, cluster, older, tasks)) {
            try (ClusterCoordinator newNode = start("new", 1, ports, cluster, newer, tasks)) {
                assertThat(newer.writing()).as("a member reads version 1 only").allSatisfy((format, version) -> assertThat(version).isEqualTo(1));
                await("the leader wrote an assignment", () -> oldNode.currentAssignment().generation() > 0);
                String stored = newNode.hazelcast().<String, String>getMap(HazelcastMembers.ASSIGNMENT_MAP).get(AssignmentRecord.KEY);
                assertThat(AssignmentRecord.fromJson(stored, N)).as("the N node can read what the cluster writes").isNotNull();

                oldNode.hazelcast().getLifecycleService().terminate(); // leaves at once; a graceful shutdown only takes longer

                await("the N+1 node writes version 2", () -> newer.write(Format.ASSIGNMENT) == 2);
                assertThat(newer.writing()).allSatisfy((format, version) -> assertThat(version).isEqualTo(2));
                await("the N+1 node, now leader, rewrote the assignment in version 2", () -> {
                    String json = newNode.hazelcast().<String, String>getMap(HazelcastMembers.ASSIGNMENT_MAP).get(AssignmentRecord.KEY);
                    return json != null && json.contains("\"version\":2");
                });
                assertThat(older.writing()).as("the N node never wrote anything else").allSatisfy((format, version) -> assertThat(version).isEqualTo(1));
            }
        }
    }

    private static ClusterCoordinator start(String nodeId, int index, List<Integer> ports, String cluster, FormatVersions formats, Set<TaskId> tasks)
    {
        ClusterSettings settings = ClusterSettings.defaults(nodeId, ports.get(index), "127.0.0.1:" + (9100 + index))
                .withClusterName(cluster)
                .withMembers(ports.stream().map(port -> "127.0.0.1:" + port).toList())
                .withFailureDetection(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .withTimings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100))
                .withFormats(formats);
        return ClusterCoordinator.start(settings, new FakeLocalTasks(tasks, Set.of("clicks")), Set.of("clicks"), Clock.systemUTC());
    }

    private static void await(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException
    {
        ClusterTestNodes.await(what, Duration.ofSeconds(60), condition);
    }
}
