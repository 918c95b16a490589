package io.kaflowsql.chaos;

import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.SupportedVersions;
import io.kaflowsql.protocol.admin.v1.ClusterStatus;
import io.kaflowsql.protocol.admin.v1.DrainProgress;
import io.kaflowsql.protocol.admin.v1.NodeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's rolling upgrade of a 3-node cluster under load, which is also the N / N+1 interop proof: real node
 * processes, the embedded broker and the seed pipeline under {@code exactly_once} while clicks keep arriving. Each
 * node in turn is drained through the admin API (a real gRPC client), stopped with SIGTERM once the drain reports
 * it can stop, and restarted as version N+1 ({@value SupportedVersions#TEST_BUMP_PROPERTY}); it rejoins and gets
 * tasks back. While N and N+1 nodes run together the cluster writes every format in version 1, and task state moves
 * both ways (the N+1 node fetches checkpoints from N owners, N standbys fetch them from the N+1 node); once the last
 * N node has left, every node writes version 2. Read with read_committed, the output must then hold every click
 * that passes WHERE exactly once, enriched as the seed query says (the chaos checker).
 *
 * <p>One journey, as in {@link ClusterScalingTest}: node JVMs are expensive on CI's 2 cores.
 */
class RollingUpgradeTest
{
    private static final int PARTITIONS = 6;
    private static final int CLICKS = 2_400;
    private static final double RATE = 100;
    private static final Set<Integer> ALL = Set.of(1, 2, 3);
    private static final List<String> N_PLUS_1 = List.of("-D" + SupportedVersions.TEST_BUMP_PROPERTY + "=true");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);

    @Test
    void rollingUpgradeUnderLoadRunsNAndNPlusOneTogetherAndKeepsExactlyOnce(@TempDir Path dir)
            throws Exception
    {
        try (ClusterHarness cluster = new ClusterHarness(dir, 3, CLICKS, RATE, PARTITIONS)) {
            for (int number : ALL) {
                cluster.launch(number);
            }
            for (int number : ALL) {
                cluster.awaitReady(number);
            }
            cluster.awaitTasksSpreadOver(ALL, PARTITIONS);
            assertThat(writtenVersions(cluster, 1)).as("version N writes version 1").containsOnly(1);
            cluster.feeder().start();
            cluster.feeder().release(CLICKS / 4);

            List<NodeProcess> versionN = new ArrayList<>();
            for (int number = 1; number <= 3; number++) {
                versionN.add(upgrade(cluster, number));
                cluster.feeder().release(CLICKS * (number + 1) / 4);
                if (number == 1) {
                    assertMixedClusterWritesVersionOneAndHandsStateBothWays(cluster);
                }
            }

            for (int number : ALL) {
                cluster.await("node-" + number + " writes every format in version 2", Duration.ofSeconds(60),
                        () -> writtenVersions(cluster, number).equals(Set.of(2)));
            }
            ClusterStatus status = clusterStatus(cluster, 2);
            assertThat(status.getNodesList()).extracting(NodeInfo::getProtocolVersion).containsOnly(2);
            assertThat(status.getNodesList()).extracting(NodeInfo::getReadableFormats).containsOnly(SupportedVersions.bumped().toAttribute());
            for (int number : List.of(1, 2)) {
                assertThat(cluster.node(number).logLinesContaining("Format versions switched"))
                        .as("node-" + number + " logged the switch when the last N node left").isNotEmpty();
            }

            ChaosReport report = cluster.finish();

            assertThat(report.exactlyOnce()).as(() -> report.describe() + "\n" + cluster.nodeOutput()).isTrue();
            assertThat(report.records()).isEqualTo(report.expected());
            List<NodeProcess> incarnations = new ArrayList<>(versionN);
            ALL.forEach(number -> incarnations.add(cluster.node(number)));
            for (NodeProcess node : incarnations) {
                assertThat(node.logLinesContaining("this node reads versions"))
                        .as(node.name() + " never met a format version it does not read").isEmpty();
            }
        }
    }

    /** Drain through the admin API, SIGTERM, restart as N+1, wait until it owns tasks again; returns the stopped N process. */
    private static NodeProcess upgrade(ClusterHarness cluster, int number)
            throws InterruptedException
    {
        String nodeId = "node-" + number;
        DrainProgress last = AdminClient.drain(cluster, number, DRAIN_TIMEOUT);
        assertThat(last).as(nodeId + ": the drain stream ended without progress").isNotNull();
        assertThat(last.getDone() && last.getCanStop()).as(nodeId + " drained: " + last + "\n" + cluster.nodeOutput()).isTrue();
        assertThat(last.getOwnedTasksList()).isEmpty();
        cluster.log("%s drained through the admin API: %s", nodeId, last.getMessage());
        NodeProcess old = cluster.node(number);
        assertThat(old.stop(Duration.ofSeconds(120))).as(nodeId + " exits after SIGTERM\n" + cluster.nodeOutput()).isTrue();
        Set<Integer> others = new TreeSet<>(ALL);
        others.remove(number);
        cluster.awaitTasksSpreadOver(others, PARTITIONS);

        cluster.start(number, N_PLUS_1);
        cluster.log("%s restarted as N+1", nodeId);
        cluster.awaitTasksSpreadOver(ALL, PARTITIONS);
        ClusterStatus status = clusterStatus(cluster, number);
        Map<String, Integer> protocols = new TreeMap<>();
        status.getNodesList().forEach(node -> protocols.put(node.getNodeId(), node.getProtocolVersion()));
        assertThat(protocols).as("nodes upgraded so far speak N+1").containsExactlyInAnyOrderEntriesOf(expectedProtocols(number));
        return old;
    }

    private static void assertMixedClusterWritesVersionOneAndHandsStateBothWays(ClusterHarness cluster)
            throws InterruptedException
    {
        for (int number : ALL) {
            assertThat(writtenVersions(cluster, number)).as("node-" + number + " writes version 1 while an N node is a member").containsOnly(1);
        }
        assertThat(clusterStatus(cluster, 1).getEffectiveFormatsMap()).containsEntry(Format.CHANGELOG.key(), 1);
        String upgraded = cluster.adminAddress(1);
        assertThat(cluster.node(1).logLinesContaining("Published checkpoint of "))
                .as("the N+1 node took over state from N nodes\n" + cluster.nodeOutput()).isNotEmpty();
        cluster.await("an N node fetched a checkpoint from the N+1 node", Duration.ofSeconds(90),
                () -> IntStream.of(2, 3).anyMatch(number -> cluster.node(number).logLinesContaining("from " + upgraded).stream()
                        .anyMatch(line -> line.contains("Published checkpoint of "))));
    }

    private static Map<String, Integer> expectedProtocols(int upgradedSoFar)
    {
        Map<String, Integer> expected = new TreeMap<>();
        for (int number : ALL) {
            expected.put("node-" + number, number <= upgradedSoFar ? 2 : 1);
        }
        return expected;
    }

    /** The distinct versions node {@code number} writes now (over every format). */
    private static Set<Integer> writtenVersions(ClusterHarness cluster, int number)
    {
        return new TreeSet<>(clusterStatus(cluster, number).getEffectiveFormatsMap().values());
    }

    private static ClusterStatus clusterStatus(ClusterHarness cluster, int number)
    {
        return AdminClient.clusterStatus(cluster, number);
    }
}
