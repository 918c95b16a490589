package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Standby duty: keeps this node's copies of the tasks it is a standby for up to date by calling
 * {@link LocalTasks#warm} on a worker pool. A task is warmed at once when it becomes a standby duty or its owner
 * changes, again every {@code refresh}, and after a failure (logged) once {@code retry} passed. At most one warm
 * per task runs at a time.
 *
 * <p>Not thread-safe: {@link #update} is confined to the coordinator thread; completions are handed back to it
 * through {@code coordinatorThread}, so all bookkeeping stays on that one thread.
 */
final class StandbyWarmer
{
    private static final Logger log = LoggerFactory.getLogger(StandbyWarmer.class);

    private static final class Duty
    {
        String ownerAddress;
        long dueMillis;
        boolean running;
        /** Whether a warm of this duty completed: until then a copy here is only a fetched checkpoint, still replaying. */
        boolean warmed;
        int failures;

        Duty(String ownerAddress, long dueMillis)
        {
            this.ownerAddress = ownerAddress;
            this.dueMillis = dueMillis;
        }
    }

    private final LocalTasks local;
    private final Clock clock;
    private final ExecutorService workers;
    private final Executor coordinatorThread;
    private final long refreshMillis;
    private final long retryMillis;
    private final Map<TaskId, Duty> duties = new HashMap<>();

    StandbyWarmer(LocalTasks local, Clock clock, ExecutorService workers, Executor coordinatorThread, Duration refresh, Duration retry)
    {
        this.local = requireNonNull(local, "local is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.coordinatorThread = requireNonNull(coordinatorThread, "coordinatorThread is null");
        this.refreshMillis = refresh.toMillis();
        this.retryMillis = retry.toMillis();
    }

    /**
     * Brings the duties in line with {@code standbys} (task -> owner's transfer address) and starts the warms due.
     * Tasks no longer listed are dropped (a warm in flight finishes; its result is ignored).
     */
    void update(Map<TaskId, String> standbys, long nowMillis)
    {
        duties.keySet().retainAll(standbys.keySet());
        standbys.forEach((task, ownerAddress) -> {
            Duty duty = duties.get(task);
            if (duty == null) {
                duties.put(task, new Duty(ownerAddress, nowMillis));
            }
            else if (!duty.ownerAddress.equals(ownerAddress)) {
                duty.ownerAddress = ownerAddress;
                duty.dueMillis = nowMillis;
            }
        });
        for (Iterator<Map.Entry<TaskId, Duty>> iterator = duties.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<TaskId, Duty> entry = iterator.next();
            Duty duty = entry.getValue();
            if (!duty.running && nowMillis >= duty.dueMillis) {
                start(entry.getKey(), duty);
            }
        }
    }

    private void start(TaskId task, Duty duty)
    {
        duty.running = true;
        String ownerAddress = duty.ownerAddress;
        try {
            workers.execute(() -> {
                Long offset = null;
                Exception failure = null;
                try {
                    offset = local.warm(task, ownerAddress);
                }
                catch (Exception e) {
                    failure = e;
                }
                Long result = offset;
                Exception error = failure;
                try {
                    coordinatorThread.execute(() -> finished(task, duty, ownerAddress, result, error));
                }
                catch (RejectedExecutionException e) {
                    // the coordinator is closing: nothing left to record
                }
            });
        }
        catch (RejectedExecutionException e) {
            duty.running = false;
        }
    }

    private void finished(TaskId task, Duty duty, String ownerAddress, Long offset, Exception failure)
    {
        duty.running = false;
        if (duties.get(task) != duty || !duty.ownerAddress.equals(ownerAddress)) {
            return; // dropped, or the owner moved meanwhile: the duty is already due again
        }
        if (failure == null) {
            duty.warmed = true;
            duty.failures = 0;
            duty.dueMillis = clock.millis() + refreshMillis;
            log.debug("Standby copy of {} warmed from {} to offset {}", task, ownerAddress, offset);
            return;
        }
        duty.dueMillis = clock.millis() + retryMillis;
        if (failure instanceof CancellationException) {
            // it gave way to the task opening here: the duty is about to end, nothing failed
            log.info("Warming the standby copy of {} stopped: {}", task, failure.getMessage());
            return;
        }
        duty.failures++;
        log.warn("Warming the standby copy of {} from {} failed (attempt {}), retrying in {} ms", task, ownerAddress, duty.failures,
                retryMillis, failure);
    }

    /**
     * Standby duties whose first warm has not completed. Their local copy may already hold the owner's fetched checkpoint,
     * but the warm-up still restores and replays it, and a hand-over to this node would wait for that: the node must not
     * report them warm yet, or the leader moves the task here too early.
     */
    Set<TaskId> warmingUp()
    {
        Set<TaskId> warming = new HashSet<>();
        duties.forEach((task, duty) -> {
            if (!duty.warmed) {
                warming.add(task);
            }
        });
        return warming;
    }

    /** Whether no warm is in flight (for tests). */
    boolean idle()
    {
        return duties.values().stream().noneMatch(duty -> duty.running);
    }
}
