package io.kaflowsql.node.internal.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.engine.api.CompiledPipeline;

/**
 * The catalog of a build without the durable pipeline catalog (issue 6 part B): every change is refused with
 * {@code FAILED_PRECONDITION}, never faked. Pipelines are deployed by the files a node starts with
 * ({@code pipelines.dir}). Thread-safe (stateless).
 */
public final class UnavailablePipelineCatalog
        implements PipelineCatalog
{
    static final String MESSAGE = "pipeline catalog not available on this build yet (issue 6 part B): "
            + "deploy pipelines by placing their files in the nodes' pipelines.dir and restarting the nodes";

    @Override
    public String deploy(CompiledPipeline pipeline, String yaml)
    {
        throw unavailable("deploy " + pipeline.name());
    }

    @Override
    public String pause(String pipeline)
    {
        throw unavailable("pause " + pipeline);
    }

    @Override
    public String resume(String pipeline)
    {
        throw unavailable("resume " + pipeline);
    }

    @Override
    public String delete(String pipeline)
    {
        throw unavailable("delete " + pipeline);
    }

    private static StatusRuntimeException unavailable(String what)
    {
        return Status.FAILED_PRECONDITION.withDescription("cannot " + what + ": " + MESSAGE).asRuntimeException();
    }
}
