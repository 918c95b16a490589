package io.kaflowsql.chaos;

import io.kaflowsql.engine.internal.fault.FaultInjection;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faults of one node process: {@code kill -9} (any node, the leader, a task owner, one caught in the middle of a
 * hand-over), a halt in the middle of a checkpoint or a transaction (the engine's fault-injection switches, armed on a
 * restart), and a pause longer than the failure detection. Each checks that the other nodes take the victim's tasks
 * over while it is gone, when enough of them remain for a quorum. Stateless.
 */
final class NodeFaults
{
    /** Time the survivors get to open every task of a dead node, on a loaded 2-core machine. */
    static final Duration TAKEOVER_TIMEOUT = Duration.ofSeconds(NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 80);
    private static final Duration HANDOVER_WATCH = Duration.ofSeconds(120);
    private static final Duration HALT_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern RESTORED_AHEAD = Pattern.compile("Task (\\S+) restored ahead of its hand-over to this node");

    private NodeFaults() {}

    static void kill(StepContext context)
            throws InterruptedException
    {
        int victim = single(context);
        long started = System.nanoTime();
        killAndExpectTakeover(context, victim);
        sleepRest(context, started);
        restart(context, victim, List.of());
    }

    static void pause(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int victim = single(context);
        Set<String> owned = cluster.owned(victim);
        Set<Integer> others = othersThan(cluster, Set.of(victim));
        long started = System.nanoTime();
        cluster.pause(victim);
        context.log("node-%d paused (SIGSTOP), owning %s, for %d s", victim, owned, context.step().lasting().toSeconds());
        Duration lateAfter = Duration.ofSeconds(NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 8);
        boolean takenOver = context.within(min(lateAfter, context.step().lasting()), () -> Convergence.allTasksOpenOn(cluster, others));
        if (!takenOver && context.step().lasting().compareTo(lateAfter) > 0) {
            context.log("no takeover %d s into the pause; thread dumps of %s requested (SIGQUIT) into their logs", lateAfter.toSeconds(), others);
            for (int number : others) {
                cluster.node(number).dumpThreads();
            }
            Duration left = context.step().lasting().minusNanos(System.nanoTime() - started);
            takenOver = context.within(left.isNegative() ? Duration.ZERO : left, () -> Convergence.allTasksOpenOn(cluster, others));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (takenOver) {
            context.log("nodes %s opened every task %.1f s into the pause", others, seconds);
        }
        boolean longEnough = context.step().lasting().toSeconds() >= NodeConfigFile.FAILURE_TIMEOUT_SECONDS + 15;
        if (quorumRemains(cluster, others) && longEnough) {
            context.expectInTime(takenOver, "nodes " + others + " did not open every task within the " + context.step().lasting().toSeconds()
                    + " s node-" + victim + " was paused (failure timeout " + NodeConfigFile.FAILURE_TIMEOUT_SECONDS + " s)");
        }
        sleepRest(context, started);
        cluster.resume(victim);
        context.log("node-%d resumed (SIGCONT) after %.1f s: a zombie that wakes up", victim, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Kills a node, restarts it and, as tasks move back to it (a planned move: the new owner restores ahead while the
     * old one processes), kills the incoming or the outgoing owner of the first task seen restored ahead.
     */
    static void killMidHandover(StepContext context)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int joiner = single(context);
        killAndExpectTakeover(context, joiner);
        restart(context, joiner, List.of());
        Optional<String> task = watchForHandOver(context, joiner);
        int victim = joiner;
        if (task.isEmpty()) {
            context.log("no hand-over to node-%d seen in flight within %d s; killing node-%d now instead", joiner, HANDOVER_WATCH.toSeconds(), joiner);
        }
        else {
            Optional<Integer> outgoing = cluster.awake().stream().filter(number -> number != joiner && cluster.owned(number).contains(task.get())).findFirst();
            boolean incoming = context.random().nextBoolean() || outgoing.isEmpty();
            victim = incoming ? joiner : outgoing.get();
            context.log("task %s is in its hand-over to node-%d (restored ahead); killing its %s owner node-%d", task.get(), joiner,
                    incoming ? "incoming" : "outgoing", victim);
        }
        long started = System.nanoTime();
        killAndExpectTakeover(context, victim);
        sleepRest(context, started);
        restart(context, victim, List.of());
    }

    /** Kills a node and restarts it armed to halt itself at its {@code point} (a checkpoint or a transaction). */
    static void killMidPoint(StepContext context, String point, int maxOrdinal)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        int victim = single(context);
        killAndExpectTakeover(context, victim);
        int ordinal = 1 + context.random().nextInt(maxOrdinal);
        NodeProcess armed = restart(context, victim, List.of("-Dkaflowsql.fault." + point + "=" + ordinal));
        String line = "FAULT INJECTION: halting at " + point + " #" + ordinal;
        boolean halted = armed.awaitExit(HALT_TIMEOUT);
        if (!halted) {
            context.log("node-%d did not reach %s #%d within %d s (no task to write one?); killing it instead", victim, point, ordinal,
                    HALT_TIMEOUT.toSeconds());
            armed.kill();
        }
        else {
            context.expect(!armed.linesContaining(line).isEmpty(), "node-" + victim + " exited (status " + armed.exitValue() + ") without '" + line + "'");
            context.log("node-%d halted itself at %s #%d", victim, point, ordinal);
        }
        long started = System.nanoTime();
        expectTakeover(context, Set.of(victim), started);
        sleepRest(context, started);
        restart(context, victim, List.of());
    }

    static void killMidCheckpoint(StepContext context)
            throws InterruptedException
    {
        killMidPoint(context, FaultInjection.HALT_IN_CHECKPOINT, 3);
    }

    static void killMidTransaction(StepContext context)
            throws InterruptedException
    {
        killMidPoint(context, FaultInjection.HALT_IN_TRANSACTION, 20);
    }

    private static Optional<String> watchForHandOver(StepContext context, int joiner)
            throws InterruptedException
    {
        NodeProcess node = context.cluster().node(joiner);
        long deadline = System.nanoTime() + HANDOVER_WATCH.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : node.linesContaining("restored ahead of its hand-over")) {
                Matcher matcher = RESTORED_AHEAD.matcher(line);
                if (matcher.find()) {
                    return Optional.of(matcher.group(1));
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** SIGKILL, then expects the survivors to open every task when enough of them remain for a quorum. */
    static void killAndExpectTakeover(StepContext context, int victim)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        Set<String> owned = cluster.owned(victim);
        boolean leader = cluster.leader().map(number -> number == victim).orElse(false);
        cluster.node(victim).kill();
        long killed = System.nanoTime();
        context.log("node-%d killed (SIGKILL)%s, owning %s", victim, leader ? ", the leader" : "", owned);
        expectTakeover(context, Set.of(victim), killed);
    }

    static void expectTakeover(StepContext context, Set<Integer> gone, long sinceNanos)
            throws InterruptedException
    {
        ClusterHarness cluster = context.cluster();
        Set<Integer> others = othersThan(cluster, gone);
        if (!quorumRemains(cluster, others)) {
            context.log("only %s remain, below cluster.min-size %d: no takeover expected", others, cluster.spec().minSize());
            return;
        }
        boolean takenOver = context.within(TAKEOVER_TIMEOUT, () -> Convergence.allTasksOpenOn(cluster, others));
        context.expect(takenOver, "nodes " + others + " did not open every task within " + TAKEOVER_TIMEOUT.toSeconds() + " s of losing " + gone
                + ": " + Convergence.describe(cluster));
        if (takenOver) {
            context.log("nodes %s opened every task %.1f s after losing %s", others, (System.nanoTime() - sinceNanos) / 1e9, gone);
        }
    }

    /** Starts the node again (with {@code systemProperties}) and waits until it is READY. */
    static NodeProcess restart(StepContext context, int number, List<String> systemProperties)
            throws InterruptedException
    {
        return context.cluster().start(number, systemProperties);
    }

    static Set<Integer> othersThan(ClusterHarness cluster, Set<Integer> excluded)
    {
        Set<Integer> others = new TreeSet<>(cluster.awake());
        others.removeAll(excluded);
        return others;
    }

    static boolean quorumRemains(ClusterHarness cluster, Set<Integer> others)
    {
        return !others.isEmpty() && others.size() >= cluster.spec().minSize();
    }

    /** Sleeps until the step's duration has passed since {@code startedNanos}. */
    static void sleepRest(StepContext context, long startedNanos)
            throws InterruptedException
    {
        long left = context.step().lasting().toNanos() - (System.nanoTime() - startedNanos);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    private static Duration min(Duration a, Duration b)
    {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static int single(StepContext context)
    {
        List<Integer> numbers = context.step().target().resolve(context.cluster(), context.random());
        if (numbers.size() != 1) {
            throw new IllegalStateException(context.step().fault() + " hits one node; " + context.step().target() + " named " + numbers);
        }
        return numbers.get(0);
    }
}
