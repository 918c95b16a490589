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
