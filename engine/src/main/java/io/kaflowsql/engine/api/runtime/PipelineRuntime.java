package io.kaflowsql.engine.api.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.internal.runtime.PipelineRunner;

import static java.util.Objects.requireNonNull;

/**
 * Runs one compiled pipeline on this node against Kafka: keeps its dimensions, processes every
 * partition of its driving stream, writes its results. Lifecycle: {@link #start()} once, then
 * {@link #close()} (commits, closes state) — e.g. from a SIGTERM hook.
 *
 * <p>Thread-safe.
 */
public final class PipelineRuntime
        implements AutoCloseable
{
    /** Lifecycle of a pipeline on a node. */
    public enum State
    {
        CREATED, WAITING_FOR_TOPICS, LOADING_DIMENSIONS, RESTORING_STATE, RUNNING, STOPPED, FAILED
    }

    private final PipelineRunner runner;

    public PipelineRuntime(CompiledPipeline pipeline, RuntimeSettings settings)
    {
        this.runner = new PipelineRunner(requireNonNull(pipeline, "pipeline is null"), requireNonNull(settings, "settings is null"));
    }

    public void start()
    {
        runner.start();
    }

    /**
     * Starts in cluster mode: dimensions load (from {@code bootstrap}'s peer snapshot when it has one, then the
     * topic tail), but no task opens until {@link #own} names it.
     */
    public void startClustered(DimensionBootstrap bootstrap)
    {
        runner.startClustered(requireNonNull(bootstrap, "bootstrap is null"));
    }

    /** Partitions of the driving topic, once the input topics exist. */
    public java.util.OptionalInt partitionCount()
    {
        return runner.partitionCount();
    }

    /** True once this node's copy of every dimension table has caught up (tasks may open). */
    public boolean dimensionsReady()
    {
        return runner.dimensionsReady();
    }

    /**
     * Makes this node own exactly the tasks of {@code partitions}: others are committed, checkpointed and
     * closed; new ones opened (fencing their previous owner). Returns at once; the stream thread applies it.
     */
    public void own(java.util.Set<Integer> partitions)
    {
        runner.own(java.util.Set.copyOf(requireNonNull(partitions, "partitions is null")));
    }

    /**
     * Names the tasks about to be handed to this node (assigned here, their previous owner not released yet): their
     * state is restored ahead, while the previous owner still processes, so that the hand-over itself only fences
     * and reads the changelog tail. A later call replaces an earlier one. Returns at once.
     */
    public void prepare(java.util.Set<Integer> partitions)
    {
        runner.prepare(java.util.Set.copyOf(requireNonNull(partitions, "partitions is null")));
    }

    /**
     * Makes every task open on this node commit and write a checkpoint now (a task unchanged since its last
     * checkpoint keeps it). Returns at once: the stream thread does it between two polls; the future completes with
     * the partitions it covered (empty at once when the pipeline is not processing).
     */
    public java.util.concurrent.CompletableFuture<java.util.Set<Integer>> checkpointNow()
    {
        return runner.checkpointNow();
    }

    /**
     * Stops reading the pipeline's inputs on this node: its tasks stay open (so the cluster keeps them here), keep
     * their state and commit their transactions; nothing new is processed until {@link #resume()}. Returns at once:
     * the stream thread commits what it processed and stops polling between two polls ({@link #isPaused()} then
     * holds). A pipeline paused before it starts begins paused.
     */
    public void pause()
    {
        runner.pause();
    }

    /** Reads the inputs again from where the pause left them (every record sent meanwhile is processed once). */
    public void resume()
    {
        runner.resume();
    }

    /** True once a pause is in force: asked for, and everything processed before it committed. */
    public boolean isPaused()
    {
        return runner.isPaused();
    }

    /** True while a pause is asked for, in force or not yet. */
    public boolean pauseRequested()
    {
        return runner.pauseRequested();
    }

    /** Partitions whose tasks are open on this node now. */
    public java.util.Set<Integer> ownedPartitions()
    {
        return runner.ownedPartitions();
    }

    /** Partitions named by {@link #prepare} whose state is restored ahead on this node now. */
    public java.util.Set<Integer> preparedPartitions()
    {
        return runner.preparedPartitions();
    }

    /**
     * Runs {@code listener} whenever {@link #ownedPartitions()} or {@link #preparedPartitions()} changed (on the
     * stream thread, right after a task was released, opened or restored ahead: it must return quickly).
     */
    public void onOwnedPartitionsChanged(Runnable listener)
    {
        runner.onOwnedPartitionsChanged(listener);
    }

    /**
     * Brings the local standby copy of a task up to date without owning it: restores the newest local
     * checkpoint, replays the changelog to its end, writes a checkpoint. Blocking.
     *
     * @return the changelog offset the new checkpoint reflects
     * @throws java.util.concurrent.CancellationException when the warm-up gave way to the task opening (or being restored
     *         ahead) on this node meanwhile
     */
    public long warm(int partition)
            throws InterruptedException
    {
        return runner.warm(partition);
    }

    /** The checkpoints of one task on this node's disk (for shipping them to other nodes). */
    public TaskStateDirectory taskState(int partition)
    {
        return runner.taskState(partition);
    }

    /**
     * Writes a snapshot of this node's dimension tables of the pipeline, with the topic offsets it reflects,
     * to {@code file} (consistent: taken between two polls of the dimension loader). Blocks until written;
     * fails when the dimensions are not ready.
     *
     * @return the number of rows written
     */
    public long writeDimensionSnapshot(java.nio.file.Path file)
            throws InterruptedException
    {
        return runner.writeDimensionSnapshot(requireNonNull(file, "file is null"));
    }

    /**
     * Makes {@link #start()} bootstrap the dimensions from {@code bootstrap}'s peer snapshot (then the topic
     * tail) instead of reading the topics from the beginning. Call before {@link #start()}.
     *
     * @return this runtime
     */
    public PipelineRuntime withDimensionBootstrap(DimensionBootstrap bootstrap)
    {
        runner.useDimensionBootstrap(requireNonNull(bootstrap, "bootstrap is null"));
        return this;
    }

    /** How this node's dimensions were bootstrapped (peer snapshot or topics) and how many topic records it read. */
    public DimensionBootstrapStats dimensionBootstrap()
    {
        return runner.dimensionBootstrap();
    }

    public State state()
    {
        return runner.state();
    }

    /** True once dimensions are loaded and every task processes. */
    public boolean isReady()
    {
        return runner.state() == State.RUNNING;
    }

    public PipelineMetrics metrics()
    {
        return runner.metrics();
    }

    public CompiledPipeline pipeline()
    {
        return runner.pipeline();
    }

    @Override
    public void close()
    {
        runner.close();
    }
}
