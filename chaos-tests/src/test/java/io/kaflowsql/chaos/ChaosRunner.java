package io.kaflowsql.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Runs a {@link ChaosSchedule} against a running cluster under load, one step at a time: wait the step's
 * {@code after}, inject its fault ({@link FaultActions}) on its target for its duration, heal, then wait until the
 * cluster has recovered: {@link Convergence#settled} (one assignment, followed by every node), the output caught up
 * with every click written before the fault ended, and then with every click written up to that moment. A step whose expectations broke, or a cluster that does not recover
 * within {@link #RECOVERY_TIMEOUT}, is a violation; the runner records it (with every node's view and a thread dump in
 * the node logs) and either stops or goes on with the next step.
 *
 * <p>Not thread-safe: one thread runs a schedule.
 */
final class ChaosRunner
{
    static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STALL_DUMP_AFTER = Duration.ofSeconds(8);

    /**
     * One step as it ran.
     *
     * @param startSeconds when the fault was injected, seconds since the run started
     * @param faultSeconds from injection to healed (restarted, reconnected, resumed)
     * @param recoverySeconds from healed to recovered; negative if the cluster did not recover
     */
    record Outcome(FaultStep step, double startSeconds, double faultSeconds, double recoverySeconds, List<String> violations, List<String> late)
    {
        Outcome
        {
            requireNonNull(step, "step is null");
            violations = List.copyOf(violations);
            late = List.copyOf(late);
        }

        @Override
        public String toString()
        {
            return String.format("%-46s at +%6.1fs  fault %5.1f s  recovered %s%s", step.toString().substring(0, Math.min(46, step.toString().length())),
                    startSeconds, faultSeconds, recoverySeconds < 0 ? "NEVER" : String.format("in %5.1f s", recoverySeconds),
                    (violations.isEmpty() ? "" : "  " + violations.size() + " VIOLATION(S)") + (late.isEmpty() ? "" : "  " + late.size() + " LATE"));
        }
    }

    private final ClusterHarness cluster;
    private final boolean stopAtFirstViolation;

    ChaosRunner(ClusterHarness cluster, boolean stopAtFirstViolation)
    {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.stopAtFirstViolation = stopAtFirstViolation;
    }

    List<Outcome> run(ChaosSchedule schedule)
            throws InterruptedException
    {
        List<Outcome> outcomes = new ArrayList<>();
        for (FaultStep step : schedule.steps()) {
            Outcome outcome = runStep(step);
            outcomes.add(outcome);
            if (!outcome.violations().isEmpty() && stopAtFirstViolation) {
                cluster.log("stopping the schedule after step #%d: %s", step.number(), outcome.violations());
                break;
            }
        }
        return outcomes;
    }

    private Outcome runStep(FaultStep step)
            throws InterruptedException
    {
        Thread.sleep(step.after().toMillis());
        Timeline timeline = cluster.timeline();
        StepContext context = new StepContext(cluster, step);
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        context.log("%s (%s)", step.target(), step.fault().description());
        int span = timeline.begin(step.label());
        try {
            FaultActions.inject(context);
        }
        catch (RuntimeException | AssertionError e) {
            violations.add("#" + step.number() + " " + step.fault() + " could not be carried out: " + firstLine(e));
            context.log("FAILED: %s", e);
        }
        finally {
            timeline.end(span);
        }
        violations.addAll(context.violations());
        long healed = System.nanoTime();
        int written = cluster.feeder().sent();
        boolean recovered = cluster.poll(RECOVERY_TIMEOUT, () -> Convergence.settled(cluster) && cluster.caughtUpTo(written))
                && processesFreshInput(context, healed);
        double recoverySeconds = (System.nanoTime() - healed) / 1e9;
        if (recovered) {
            context.log("recovered %.1f s after the fault ended: one assignment followed by %s, output caught up", recoverySeconds, cluster.running());
        }
        else {
            String state = Convergence.describe(cluster);
            violations.add("#" + step.number() + " " + step.fault() + ": the cluster did not recover within " + RECOVERY_TIMEOUT.toSeconds()
                    + " s (settled: " + Convergence.settled(cluster) + ", output caught up: " + cluster.caughtUpTo(written) + "): " + state);
            context.log("NOT RECOVERED within %d s: %s; thread dumps go to the node logs", RECOVERY_TIMEOUT.toSeconds(), state);
            for (int number : cluster.running()) {
                cluster.node(number).dumpThreads();
            }
        }
        return new Outcome(step, timeline.seconds(started), (healed - started) / 1e9, recovered ? recoverySeconds : -1, violations, context.late());
    }

    /**
     * Second half of a recovery: the output also catches up with input written after the first half (a cluster can
     * drain its backlog and then stall, e.g. after a broker bounce). Asks every node for a thread dump once if that takes
     * longer than {@link #STALL_DUMP_AFTER}.
     */
    private boolean processesFreshInput(StepContext context, long healed)
            throws InterruptedException
    {
        int fresh = cluster.feeder().sent();
        long started = System.nanoTime();
        if (cluster.poll(STALL_DUMP_AFTER, () -> cluster.caughtUpTo(fresh))) {
            return true;
        }
        context.log("input written %.1f s after the fault ended not processed within %d s; thread dumps requested (SIGQUIT) into the node logs",
                (started - healed) / 1e9, STALL_DUMP_AFTER.toSeconds());
        for (int number : cluster.awake()) {
            cluster.node(number).dumpThreads();
        }
        Duration left = RECOVERY_TIMEOUT.minusNanos(System.nanoTime() - healed);
        return cluster.poll(left.isNegative() ? Duration.ZERO : left, () -> cluster.caughtUpTo(fresh));
    }

    private static String firstLine(Throwable e)
    {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}
