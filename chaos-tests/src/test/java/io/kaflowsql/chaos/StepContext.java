package io.kaflowsql.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * What a fault action works with while one step runs: the cluster, the step, the step's random source, the
 * expectations it found broken (each a line for the run's verdict) and the reactions that came later than the fault
 * allowed (reported, not failing a run). Not thread-safe: the runner's thread.
 */
final class StepContext
{
    private final ClusterHarness cluster;
    private final FaultStep step;
    private final Random random;
    private final List<String> violations = new ArrayList<>();
    private final List<String> late = new ArrayList<>();

    StepContext(ClusterHarness cluster, FaultStep step)
    {
        this.cluster = requireNonNull(cluster, "cluster is null");
        this.step = requireNonNull(step, "step is null");
        this.random = step.random();
    }

    ClusterHarness cluster()
    {
        return cluster;
    }

    FaultStep step()
    {
        return step;
    }

    Random random()
    {
        return random;
    }

    void log(String format, Object... args)
    {
        cluster.log("#%d %s: %s", step.number(), step.fault(), String.format(format, args));
    }

    /** Records a broken expectation unless {@code holds}. */
    void expect(boolean holds, String what)
    {
        if (!holds) {
            violations.add("#" + step.number() + " " + step.fault() + ": " + what);
            log("EXPECTATION BROKEN: %s", what);
        }
    }

    /**
     * Records a slow reaction unless {@code inTime}: something that did happen, or happens later, but not within the
     * time the fault gave it (a takeover that outlasted the pause). Reported, not a broken guarantee.
     */
    void expectInTime(boolean inTime, String what)
    {
        if (!inTime) {
            late.add("#" + step.number() + " " + step.fault() + ": " + what);
            log("LATE: %s", what);
        }
    }

    /** Polls {@code condition} until it holds (true) or {@code timeout} passed (false). */
    boolean within(Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        return cluster.poll(timeout, condition);
    }

    void sleep(Duration duration)
            throws InterruptedException
    {
        Thread.sleep(duration.toMillis());
    }

    List<String> violations()
    {
        return List.copyOf(violations);
    }

    List<String> late()
    {
        return List.copyOf(late);
    }
}
