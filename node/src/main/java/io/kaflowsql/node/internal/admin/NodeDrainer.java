package io.kaflowsql.node.internal.admin;

import io.kaflowsql.node.internal.cluster.ClusterMembership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * Runs this node's drain ({@link ClusterMembership#drain}) in the background on its own thread, so that the admin
 * call asking for it can stream progress, and a client that goes away does not stop it. Asking while a drain runs
 * joins it; asking after one ended (drained, or timed out) starts another wait.
 *
 * <p>Thread-safe.
 */
final class NodeDrainer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(NodeDrainer.class);

    private final ExecutorService worker;
    private CompletableFuture<Boolean> running;

    NodeDrainer(String nodeId)
    {
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kaflowsql-admin-drain-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The drain running now, or a new one of at most {@code timeout}: completes with whether the node owns nothing. */
    synchronized CompletableFuture<Boolean> start(ClusterMembership membership, Duration timeout)
    {
        requireNonNull(membership, "membership is null");
        requireNonNull(timeout, "timeout is null");
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(() -> {
                try {
                    return membership.drain(timeout);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            }, worker);
            log.info("Drain requested through the admin API (waiting up to {} s for the tasks to move away)", timeout.toSeconds());
        }
        return running;
    }

    @Override
    public void close()
    {
        worker.shutdownNow();
    }
}
