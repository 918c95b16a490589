package io.kaflowsql.chaos;

import io.kaflowsql.node.internal.runtime.KaflowNode;
import io.kaflowsql.protocol.SupportedVersions;
import io.kaflowsql.protocol.admin.v1.DrainProgress;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Planned membership changes under load, as operators make them: a node joins (scale out) and later a node leaves on
 * SIGTERM (scale in: it drains, hands its tasks over and exits), and a rolling restart (each node drained through the
 * admin API, stopped, started again), optionally as a rolling upgrade to version N+1. Stateless.
 */
final class MembershipFaults
{
    static final List<String> N_PLUS_1 = List.of("-D" + SupportedVersions.TEST_BUMP_PROPERTY + "=true");
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration SPREAD_TIMEOUT = Duration.ofSeconds(180);

    private MembershipFaults() {}

    static void scaleOutAndIn(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int joiner = freeSlot(cluster);
        long started = System.nanoTime();
        NodeProcess node = cluster.start(joiner);
        context.log("node-%d joined; %d nodes run", joiner, cluster.running().size());
        expectSpread(context, "after node-" + joiner + " joined");
        context.expect(!node.linesContaining("ready from peer snapshot").isEmpty() && node.linesContaining("ready from the topic").isEmpty(),
                "node-" + joiner + " did not load its dimensions from a peer's snapshot");
        NodeFaults.sleepRest(context, started);
        List<Integer> running = List.copyOf(cluster.running());
        int leaver = running.get(context.random().nextInt(running.size()));
        leaveGracefully(context, leaver);
    }

    static void rollingRestart(StepContext context)
            throws InterruptedException
    {
        roll(context, false);
    }

    static void rollingUpgrade(StepContext context)
            throws InterruptedException
    {
        roll(context, true);
    }

    private static void roll(StepContext context, boolean upgrade)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        List<Integer> order = context.step().target().resolve(cluster, context.random());
        if (upgrade) {
            cluster.setDefaultSystemProperties(N_PLUS_1);
        }
        context.log("%s %s, one at a time", upgrade ? "upgrading to N+1" : "restarting", Target.names(order));
        for (int number : order) {
            leaveGracefully(context, number);
            cluster.start(number);
            context.log("node-%d back%s", number, upgrade ? " as N+1" : "");
            expectSpread(context, "after node-" + number + " came back");
        }
        if (upgrade) {
            for (int number : cluster.running()) {
                boolean switched = context.within(Duration.ofSeconds(60),
                        () -> Set.of(2).equals(new TreeSet<>(AdminClient.clusterStatus(cluster, number).getEffectiveFormatsMap().values())));
                context.expect(switched, "node-" + number + " does not write every format in version 2 once every node is N+1");
            }
        }
    }

    /** Drain through the admin API, SIGTERM, and expect the others to open every task. */
    private static void leaveGracefully(StepContext context, int number)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        DrainProgress last = AdminClient.drain(cluster, number, DRAIN_TIMEOUT);
        context.expect(last != null && last.getDone() && last.getCanStop(), "node-" + number + " did not drain: " + last);
        NodeProcess node = cluster.node(number);
        boolean exited = cluster.stop(number, STOP_TIMEOUT);
        context.expect(exited, "node-" + number + " did not exit within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
        if (!exited) {
            node.kill();
            return;
        }
        context.expect(!node.linesContaining(KaflowNode.STOPPED_MESSAGE).isEmpty(), "node-" + number + " did not commit and close its state");
        context.log("node-%d drained (%s) and stopped", number, last == null ? "no progress" : last.getMessage());
        NodeFaults.expectTakeover(context, Set.of(number), System.nanoTime());
    }

    private static void expectSpread(StepContext context, String when)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        Set<Integer> awake = cluster.awake();
        boolean spread = context.within(SPREAD_TIMEOUT, () -> Convergence.allTasksOpenOn(cluster, awake)
                && awake.stream().allMatch(number -> !cluster.owned(number).isEmpty()));
        context.expect(spread, "tasks not spread over " + awake + " within " + SPREAD_TIMEOUT.toSeconds() + " s " + when + ": "
                + Convergence.describe(cluster));
    }

    private static int freeSlot(ClusterHarness cluster)
    {
        for (int number = 1; number <= cluster.spec().maxNodes(); number++) {
            if (!cluster.running().contains(number)) {
                return number;
            }
        }
        throw new IllegalStateException("every one of the " + cluster.spec().maxNodes() + " node slots runs; scaling out needs a free one");
    }
}
