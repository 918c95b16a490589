package io.kaflowsql.chaos;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Network faults, at the socket level: every node runs in a network namespace of its own ({@link NetworkNamespaces})
 * and a fault adds {@code prohibit} routes in those namespaces, so packets between the cut nodes are refused by the
 * kernel before they leave (established connections see their sends fail, not a reset). Healing deletes the routes.
 * Stateless.
 */
final class NetworkFaults
{
    private NetworkFaults() {}

    /**
     * Cuts a minority holding tasks off from the majority (everyone keeps reaching the broker). The minority must lose
     * its quorum and open no task while cut off; the majority must open every task and keep writing output.
     */
    static void partition(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        NetworkNamespaces network = namespaces(cluster);
        List<Integer> minority = context.step().target().resolve(cluster, context.random());
        Set<Integer> majority = NodeFaults.othersThan(cluster, Set.copyOf(minority));
        Set<String> owned = new TreeSet<>();
        minority.forEach(number -> owned.addAll(cluster.owned(number)));
        long started = System.nanoTime();
        network.cut(Target.asSet(minority), majority, NetworkNamespaces.Cut.PROHIBIT);
        context.log("%s (owning %s) cut off from %s; the broker stays reachable to all", Target.names(minority), owned, majority);
        boolean quorumLost = minority.size() < cluster.spec().minSize();
        if (quorumLost) {
            // the minority may be fenced out of its tasks by the majority before it notices the partition itself
            boolean stopped = context.within(context.step().lasting(),
                    () -> minority.stream().allMatch(number -> ownsNothing(cluster, number) && !cluster.node(number).linesContaining("QUORUM LOST").isEmpty()));
            for (int number : minority) {
                context.expect(stopped || ownsNothing(cluster, number), "node-" + number + " still had tasks open " + context.step().lasting().toSeconds()
                        + " s into a partition that left it below cluster.min-size " + cluster.spec().minSize());
                context.expect(stopped || !cluster.node(number).linesContaining("QUORUM LOST").isEmpty(), "node-" + number
                        + " did not log QUORUM LOST within " + context.step().lasting().toSeconds() + " s");
            }
        }
        if (NodeFaults.quorumRemains(cluster, majority)) {
            int before = cluster.outputEventIds();
            boolean takenOver = context.within(context.step().lasting(), () -> Convergence.allTasksOpenOn(cluster, majority));
            context.expectInTime(takenOver, "the majority " + majority + " did not open every task within the " + context.step().lasting().toSeconds()
                    + " s partition: " + Convergence.describe(cluster));
            if (takenOver) {
                context.log("majority %s opened every task %.1f s into the partition", majority, (System.nanoTime() - started) / 1e9);
                boolean flowing = context.within(context.step().lasting(), () -> cluster.outputEventIds() > before);
                context.expect(flowing, "no new output while the majority " + majority + " owned every task");
            }
        }
        NodeFaults.sleepRest(context, started);
        network.heal();
        context.log("network healed after %.1f s", (System.nanoTime() - started) / 1e9);
    }

    /** Cuts one node off from every other node and from the broker: if it owned tasks, the others must open them. */
    static void isolate(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        NetworkNamespaces network = namespaces(cluster);
        int victim = NodeFaults.single(context);
        Set<String> owned = cluster.owned(victim);
        long started = System.nanoTime();
        network.isolate(victim, NetworkNamespaces.Cut.PROHIBIT);
        context.log("node-%d (owning %s) cut off from every node and from the broker", victim, owned);
        Set<Integer> others = NodeFaults.othersThan(cluster, Set.of(victim));
        if (NodeFaults.quorumRemains(cluster, others)) {
            boolean takenOver = context.within(context.step().lasting(), () -> Convergence.allTasksOpenOn(cluster, others));
            context.expectInTime(takenOver, "nodes " + others + " did not open every task within the " + context.step().lasting().toSeconds()
                    + " s node-" + victim + " was isolated: " + Convergence.describe(cluster));
            if (takenOver) {
                context.log("nodes %s opened every task %.1f s after the isolation", others, (System.nanoTime() - started) / 1e9);
            }
        }
        NodeFaults.sleepRest(context, started);
        network.heal();
        context.log("node-%d reconnected after %.1f s", victim, (System.nanoTime() - started) / 1e9);
    }

    private static boolean ownsNothing(ClusterHarness cluster, int number)
    {
        return cluster.view(number).map(view -> view.path("owned").isEmpty()).orElse(false);
    }

    static NetworkNamespaces namespaces(ClusterHarness cluster)
    {
        return cluster.namespaces().orElseThrow(() -> new IllegalStateException("network faults need the nodes in network namespaces"));
    }
}
