package io.kaflowsql.engine.internal.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Runs one blocking producer step of several tasks at once: fencing the previous owners when tasks open
 * ({@link StreamTask#fence}: {@code initTransactions}, a few round trips to the transaction coordinator, which also
 * waits for the previous owner's open transaction to be aborted), and the broker half of every commit
 * ({@link StreamTask.PreparedCommit#send}: offsets into the transaction, flush, commit). Each is mostly waiting for
 * the broker; one after another they add up, task by task, to most of a hand-over gap and to a third of the stream
 * thread's time under load (measured: 9 s of 30 s parked in commits with four tasks); in parallel they cost about one.
 *
 * <p>The stream thread calls {@link #runAll} and waits for every step, so each task is touched by one thread at a
 * time and the waiting gives the stream thread what the workers wrote. Thread-safe.
 */
final class TaskWorkers
        implements AutoCloseable
{
    private static final int WORKERS = 8;

    private final ExecutorService workers;

    TaskWorkers(String pipeline)
    {
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
            Thread thread = new Thread(runnable, "kaflowsql-" + pipeline + "-task-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs {@code step} for every item, in parallel; a single item runs on the calling thread.
     *
     * @return partition -> failure, for the items whose step failed
     */
    <T> Map<Integer, Throwable> runAll(Collection<T> items, ToIntFunction<T> partitionOf, Consumer<T> step)
    {
        Map<Integer, Throwable> failures = new TreeMap<>();
        if (items.size() == 1) {
            T item = items.iterator().next();
            try {
                step.accept(item);
            }
            catch (RuntimeException e) {
                failures.put(partitionOf.applyAsInt(item), e);
            }
            return failures;
        }
        List<Future<?>> steps = new ArrayList<>();
        List<T> ordered = List.copyOf(items);
        for (T item : ordered) {
            steps.add(workers.submit(() -> step.accept(item)));
        }
        boolean interrupted = false;
        for (int i = 0; i < ordered.size(); i++) {
            try {
                steps.get(i).get();
            }
            catch (ExecutionException e) {
                failures.put(partitionOf.applyAsInt(ordered.get(i)), e.getCause());
            }
            catch (InterruptedException e) {
                interrupted = true;
                i--; // the step still runs and touches the task: wait for it all the same
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failures;
    }

    @Override
    public void close()
    {
        workers.shutdownNow();
    }
}
