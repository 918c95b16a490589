package io.kaflowsql.node.internal.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Reads every node of the demo cluster in parallel, one thread per node: a node slow to answer (its reads
 * wait up to the probe's timeout) then delays a summary by one timeout, not by one per node.
 *
 * <p>Thread-safe; {@link #close()} stops its threads.
 */
final class NodeSampler
        implements AutoCloseable
{
    private final List<DemoNode> nodes;
    private final ExecutorService executor;

    NodeSampler(List<DemoNode> nodes)
    {
        this.nodes = List.copyOf(requireNonNull(nodes, "nodes is null"));
        AtomicInteger counter = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, nodes.size()), runnable -> {
            Thread thread = new Thread(runnable, "demo-probe-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One sample per node, in node order. */
    List<NodeSample> sample()
            throws InterruptedException
    {
        List<Future<NodeSample>> pending = new ArrayList<>();
        for (DemoNode node : nodes) {
            pending.add(executor.submit(node::sample));
        }
        List<NodeSample> samples = new ArrayList<>();
        for (Future<NodeSample> future : pending) {
            try {
                samples.add(future.get());
            }
            catch (ExecutionException e) {
                throw new IllegalStateException("reading a demo node failed", e.getCause());
            }
        }
        return samples;
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
