package io.kaflowsql.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's multi-node tests with real node processes, the embedded broker and the seed pipeline under
 * {@code exactly_once}: the cluster grows, shrinks gracefully and loses a task owner to {@code kill -9},
 * each while clicks keep arriving. Read with read_committed, the output must hold every click that passes
 * WHERE exactly once, with the enrichment of a single-node crash-free run.
 */
class ClusterScalingTest
{
    private static final int PARTITIONS = 6;
    private static final int CLICKS = 3_000;
    private static final double RATE = 100;

    @Test
    void scalingOneToThreeNodesUnderLoadKeepsExactlyOnceAndJoinersBootstrapDimensionsFromAPeer(@TempDir Path dir)
            throws Exception
    {
        try (ClusterHarness cluster = new ClusterHarness(dir, 3, CLICKS, RATE, PARTITIONS)) {
            cluster.start(1);
            cluster.awaitTasksSpreadOver(Set.of(1), PARTITIONS);
            cluster.feeder().start();
            cluster.feeder().release(CLICKS / 3);
            NodeProcess second = cluster.start(2);
            NodeProcess third = cluster.start(3);
            cluster.feeder().release(2 * CLICKS / 3);
            cluster.awaitTasksSpreadOver(Set.of(1, 2, 3), PARTITIONS);

            DeliveryReport report = cluster.finish();

            assertThat(report.exactlyOnce()).as(() -> report.describe(cluster.expected()) + "\n" + cluster.nodeOutput()).isTrue();
            assertThat(report.records()).isEqualTo(cluster.expected().size());
            for (NodeProcess joiner : new NodeProcess[] {second, third}) {
                assertThat(joiner.linesContaining("ready from peer snapshot"))
                        .as(joiner.name() + " loaded its dimensions from a peer's snapshot, not by re-reading the topics\n" + cluster.nodeOutput())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void aNodeLeavingGracefullyHandsItsTasksOverWithNothingLostOrDuplicated(@TempDir Path dir)
            throws Exception
    {
        try (ClusterHarness cluster = new ClusterHarness(dir, 3, CLICKS, RATE, PARTITIONS)) {
            cluster.start(1);
            cluster.start(2);
            cluster.start(3);
            cluster.awaitTasksSpreadOver(Set.of(1, 2, 3), PARTITIONS);
            cluster.feeder().start();
            cluster.feeder().release(CLICKS / 2);
            cluster.await("half the clicks written", Duration.ofSeconds(60), () -> cluster.feeder().sent() >= CLICKS / 3);

            NodeProcess leaving = cluster.node(3);
            assertThat(leaving.stop(Duration.ofSeconds(90))).as("node-3 drains and exits after SIGTERM\n" + cluster.nodeOutput()).isTrue();
            cluster.log("node-3 left with status %d", leaving.exitValue());
            cluster.awaitTasksSpreadOver(Set.of(1, 2), PARTITIONS);

            DeliveryReport report = cluster.finish();

            assertThat(leaving.exitValue()).isZero();
            assertThat(leaving.linesContaining("DRAINING")).as("node-3 went through DRAINING").isNotEmpty();
            assertThat(report.exactlyOnce()).as(() -> report.describe(cluster.expected()) + "\n" + cluster.nodeOutput()).isTrue();
            assertThat(report.records()).isEqualTo(cluster.expected().size());
        }
    }

    @Test
    void killingATaskOwnerMovesItsTasksToTheSurvivorsWithNothingLostOrDuplicated(@TempDir Path dir)
            throws Exception
    {
        try (ClusterHarness cluster = new ClusterHarness(dir, 3, CLICKS, RATE, PARTITIONS)) {
            cluster.start(1);
            cluster.start(2);
            cluster.start(3);
            cluster.awaitTasksSpreadOver(Set.of(1, 2, 3), PARTITIONS);
            cluster.feeder().start();
            cluster.feeder().release(CLICKS / 2);
            cluster.await("a third of the clicks written", Duration.ofSeconds(60), () -> cluster.feeder().sent() >= CLICKS / 3);

            Set<String> lost = cluster.owned(2);
            assertThat(lost).as("node-2 owns tasks before it is killed").isNotEmpty();
            cluster.node(2).kill();
            cluster.log("node-2 SIGKILLed while owning %s", lost);
            cluster.awaitTasksSpreadOver(Set.of(1, 3), PARTITIONS);

            DeliveryReport report = cluster.finish();

            assertThat(report.exactlyOnce()).as(() -> report.describe(cluster.expected()) + "\n" + cluster.nodeOutput()).isTrue();
            assertThat(report.records()).isEqualTo(cluster.expected().size());
        }
    }
}
