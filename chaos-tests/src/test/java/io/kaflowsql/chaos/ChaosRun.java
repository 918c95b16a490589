package io.kaflowsql.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * One chaos run end to end: a cluster of {@code nodes} node processes (plus a free slot for scaling out) in network
 * namespaces of their own, each with its state on a tmpfs of its own, the broker as its own process, the seed pipeline
 * under load; then a schedule of faults drawn from the seed (printed first), then the checker's report. The CI test
 * ({@link ChaosScheduleTest}) and {@code scripts/chaos.sh} ({@link ChaosMain}) both run through here.
 *
 * <p>Not thread-safe: one run at a time.
 */
final class ChaosRun
{
    private static final long STATE_DISK_BYTES = 256L * 1024 * 1024;
    private static final Duration RUN_END_CATCH_UP = Duration.ofSeconds(180);

    /**
     * @param duration how long the random schedule should run; null for a covering schedule (each fault once)
     * @param faults the faults to draw from
     * @param namespaces run the nodes in network namespaces (needed by the network faults; root only)
     * @param stateTmpfs put each node's state directory on a tmpfs of its own (needed by the full-disk fault; root only)
     */
    record Settings(long seed, Duration duration, List<Fault> faults, int nodes, int partitions, boolean exactlyOnce, double recordsPerSecond,
            double updateShare, boolean namespaces, boolean stateTmpfs, boolean stopAtFirstViolation)
    {
        Settings
        {
            faults = List.copyOf(requireNonNull(faults, "faults is null"));
            if (nodes < 2) {
                throw new IllegalArgumentException("a chaos cluster needs at least 2 nodes: " + nodes);
            }
        }

        /** A majority of the nodes: a minority side of a partition must stop. */
        int minSize()
        {
            return nodes / 2 + 1;
        }

        ChaosSchedule schedule()
        {
            List<Fault> usable = faults.stream().filter(this::canInject).toList();
            return duration == null ? ChaosSchedule.covering(seed, usable) : ChaosSchedule.random(seed, duration, usable);
        }

        /** The faults left out because this run cannot inject them, with why. */
        List<String> leftOut()
        {
            List<String> out = new ArrayList<>();
            for (Fault fault : faults) {
                if (!canInject(fault)) {
                    out.add(fault + " (needs " + fault.requirement() + ")");
                }
            }
            return out;
        }

        private boolean canInject(Fault fault)
        {
            return switch (fault.requirement()) {
                case NONE, FREE_SLOT -> true;
                case NETWORK_NAMESPACES -> namespaces;
                case STATE_TMPFS -> stateTmpfs;
            };
        }
    }

    /** What a run produced: the schedule, how each step went, and the checker's report. */
    record Result(ChaosSchedule schedule, List<ChaosRunner.Outcome> outcomes, ChaosReport report, List<String> shutdownProblems)
    {
        Result
        {
            outcomes = List.copyOf(outcomes);
            shutdownProblems = List.copyOf(shutdownProblems);
        }

        /** Broken expectations of the steps, then problems stopping the nodes at the end. */
        List<String> violations()
        {
            List<String> violations = new ArrayList<>();
            outcomes.forEach(outcome -> violations.addAll(outcome.violations()));
            violations.addAll(shutdownProblems);
            return violations;
        }

        /** Reactions slower than their fault allowed (a takeover that outlasted a pause): reported, not failing the run. */
        List<String> late()
        {
            return outcomes.stream().flatMap(outcome -> outcome.late().stream()).toList();
        }

        boolean passed()
        {
            return report.passed() && violations().isEmpty();
        }
    }

    private ChaosRun() {}

    static Result run(Path dir, Settings settings)
            throws Exception
    {
        return run(dir, settings, settings.schedule());
    }

    /** Runs {@code schedule} (written with the fluent API) on a cluster made as {@code settings} say; their fault list is not used. */
    static Result run(Path dir, Settings settings, ChaosSchedule schedule)
            throws Exception
    {
        Timeline timeline = new Timeline();
        timeline.log("chaos run, seed %d (repeat with -Dkaflowsql.chaos.seed=%d, or scripts/chaos.sh --seed %d): %d nodes, %d partitions, %s, "
                        + "%.0f records/s", settings.seed(), settings.seed(), settings.seed(), settings.nodes(), settings.partitions(),
                settings.exactlyOnce() ? "exactly_once" : "at_least_once", settings.recordsPerSecond());
        if (!settings.leftOut().isEmpty()) {
            timeline.log("left out on this machine: %s", settings.leftOut());
        }
        System.out.println(schedule);
        long plannedSeconds = schedule.steps().stream()
                .mapToLong(step -> step.after().toSeconds() + step.lasting().toSeconds() + step.fault().estimatedSeconds())
                .sum();
        int liveRecords = (int) Math.min(Integer.MAX_VALUE, Math.round(settings.recordsPerSecond() * (plannedSeconds * 1.3 + 300)));
        ChaosTraffic traffic = ChaosTraffic.generate(settings.seed(), liveRecords, settings.updateShare());
        try (NetworkNamespaces network = settings.namespaces() ? NetworkNamespaces.create(settings.nodes() + 1) : null) {
            ClusterNetwork where = network == null ? ClusterNetwork.LOOPBACK : network;
            ClusterHarness.Spec spec = new ClusterHarness.Spec(settings.nodes() + 1, settings.partitions(), where, settings.minSize(),
                    settings.exactlyOnce(), traffic, settings.recordsPerSecond(), settings.stateTmpfs() ? STATE_DISK_BYTES : 0);
            try (ClusterHarness cluster = new ClusterHarness(dir, spec, timeline)) {
                startCluster(cluster, settings.nodes());
                cluster.feeder().start();
                cluster.feeder().release(cluster.feeder().total());
                cluster.await("output flowing", ClusterHarness.READY_TIMEOUT, () -> cluster.outputEventIds() > 0);
                List<ChaosRunner.Outcome> outcomes = new ChaosRunner(cluster, settings.stopAtFirstViolation()).run(schedule);
                if (cluster.feeder().sent() >= cluster.feeder().total()) {
                    timeline.log("the input ran out before the schedule ended: the last steps ran without load");
                }
                ChaosReport report = cluster.stopAndCheck(RUN_END_CATCH_UP);
                Result result = new Result(schedule, outcomes, report, cluster.shutdownProblems());
                print(result, timeline);
                return result;
            }
        }
    }

    /**
     * Starts node-1 and waits until its member runs (alone it is below min-size, so it waits for quorum), then the
     * others, so they join it instead of founding clusters of their own; waits until the tasks are spread over all.
     */
    private static void startCluster(ClusterHarness cluster, int nodes)
            throws InterruptedException
    {
        NodeProcess first = cluster.launch(1);
        if (cluster.spec().minSize() > 1) {
            cluster.await("node-1 is a member waiting for quorum", ClusterHarness.READY_TIMEOUT,
                    () -> !first.linesContaining("waiting for quorum").isEmpty());
        }
        for (int number = 2; number <= nodes; number++) {
            cluster.launch(number);
        }
        Set<Integer> all = new TreeSet<>();
        for (int number = 1; number <= nodes; number++) {
            cluster.awaitReady(number);
            all.add(number);
        }
        cluster.awaitTasksSpreadOver(all, cluster.spec().partitions());
    }

    private static void print(Result result, Timeline timeline)
    {
        StringBuilder text = new StringBuilder("\n==== chaos run, seed " + result.schedule().seed() + " ====\n");
        text.append(result.schedule()).append('\n');
        text.append("steps as they ran:\n");
        result.outcomes().forEach(outcome -> text.append("  ").append(outcome).append('\n'));
        text.append("fault spans:\n");
        timeline.describeSpans().forEach(line -> text.append("  ").append(line).append('\n'));
        List<String> violations = result.violations();
        text.append("expectations: ").append(violations.isEmpty() ? "all held" : violations.size() + " broken").append('\n');
        violations.forEach(violation -> text.append("  BROKEN ").append(violation).append('\n'));
        result.late().forEach(late -> text.append("  LATE ").append(late).append('\n'));
        text.append(result.report().describe()).append('\n');
        text.append("VERDICT: ").append(result.passed() ? "PASSED" : "FAILED").append(" (seed ").append(result.schedule().seed()).append(")\n");
        System.out.println(text);
    }
}
