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

/**
 * Fences the previous owners of several tasks at once ({@link StreamTask#fence}: a transactional producer's
 * {@code initTransactions}, a few round trips to the transaction coordinator, which also waits for the
 * previous owner's open transaction to be aborted). Done one after another, the fences of the tasks a node
 * takes over add up to most of the hand-over gap; in parallel they cost about one.
 *
 * <p>The stream thread calls {@link #fenceAll} and waits for every fence, so each task is touched by one
 * thread at a time and the waiting gives the stream thread what the workers wrote. Thread-safe.
 */
final class TaskFencer
        implements AutoCloseable
{
    private static final int WORKERS = 4;

    private final ExecutorService workers;

    TaskFencer(String pipeline)
    {
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS, runnable -> {
            Thread thread = new Thread(runnable, "kaflowsql-" + pipeline + "-fence-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Fences every task; one task is fenced on the calling thread.
     *
     * @return partition -> failure, for the tasks whose fence failed (they are left unfenced)
     */
    Map<Integer, Throwable> fenceAll(Collection<StreamTask> tasks)
    {
        Map<Integer, Throwable> failures = new TreeMap<>();
        if (tasks.size() == 1) {
            StreamTask task = tasks.iterator().next();
            try {
                task.fence();
            }
            catch (RuntimeException e) {
                failures.put(task.partition(), e);
            }
            return failures;
        }
        List<Future<?>> fences = new ArrayList<>();
        List<StreamTask> ordered = List.copyOf(tasks);
        for (StreamTask task : ordered) {
            fences.add(workers.submit(task::fence));
        }
        boolean interrupted = false;
        for (int i = 0; i < ordered.size(); i++) {
            try {
                fences.get(i).get();
            }
            catch (ExecutionException e) {
                failures.put(ordered.get(i).partition(), e.getCause());
            }
            catch (InterruptedException e) {
                interrupted = true;
                i--; // the fence still runs and touches the task: wait for it all the same
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
