package io.kaflowsql.engine.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Requests for an immediate checkpoint of every open task of a pipeline ("checkpoint now" of the admin API),
 * handed from any thread to the stream thread, which owns the tasks: {@link #request()} only enqueues; the stream
 * thread, between two polls, commits and force-checkpoints its open tasks and {@linkplain #complete completes}
 * every request pending before it started, with the partitions it checkpointed.
 *
 * <p>Thread-safe.
 */
final class CheckpointRequests
{
    private final List<CompletableFuture<Set<Integer>>> pending = new ArrayList<>();
    private boolean closed;

    /** A future completed by the stream thread once every open task committed and checkpointed. */
    synchronized CompletableFuture<Set<Integer>> request()
    {
        CompletableFuture<Set<Integer>> request = new CompletableFuture<>();
        if (closed) {
            request.complete(Set.of()); // no stream thread: no task is open here
        }
        else {
            pending.add(request);
        }
        return request;
    }

    synchronized boolean hasPending()
    {
        return !pending.isEmpty();
    }

    /** Called by the stream thread after it checkpointed {@code partitions}: completes the requests made before. */
    void complete(Set<Integer> partitions)
    {
        Set<Integer> done = new TreeSet<>(partitions);
        for (CompletableFuture<Set<Integer>> request : take()) {
            request.complete(Set.copyOf(done));
        }
    }

    /** The stream thread stopped (after its final checkpoint of {@code partitions}): later requests complete at once. */
    void close(Set<Integer> partitions)
    {
        List<CompletableFuture<Set<Integer>>> last;
        synchronized (this) {
            closed = true;
            last = new ArrayList<>(pending);
            pending.clear();
        }
        last.forEach(request -> request.complete(Set.copyOf(partitions)));
    }

    private synchronized List<CompletableFuture<Set<Integer>>> take()
    {
        List<CompletableFuture<Set<Integer>>> taken = new ArrayList<>(pending);
        pending.clear();
        return taken;
    }
}
