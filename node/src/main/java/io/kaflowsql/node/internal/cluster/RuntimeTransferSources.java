package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.transfer.TransferSources;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * What this node serves to peers over state transfer: the checkpoints of its pipelines' tasks and snapshots
 * of their dimension tables.
 *
 * <p>Thread-safe.
 */
public final class RuntimeTransferSources
        implements TransferSources
{
    private final Function<String, Optional<PipelineRuntime>> runtimes;

    /** @param runtimes the runtime of a pipeline on this node now (pipelines come and go with the catalog) */
    public RuntimeTransferSources(Function<String, Optional<PipelineRuntime>> runtimes)
    {
        this.runtimes = requireNonNull(runtimes, "runtimes is null");
    }

    @Override
    public Optional<TaskStateDirectory> taskState(String pipeline, int partition)
    {
        PipelineRuntime runtime = runtimes.apply(pipeline).orElse(null);
        if (runtime == null) {
            return Optional.empty();
        }
        OptionalInt partitions = runtime.partitionCount();
        if (partition < 0 || (partitions.isPresent() && partition >= partitions.getAsInt())) {
            return Optional.empty();
        }
        return Optional.of(runtime.taskState(partition));
    }

    @Override
    public long writeDimensionSnapshot(String pipeline, Path file)
            throws Exception
    {
        PipelineRuntime runtime = runtimes.apply(pipeline).orElse(null);
        if (runtime == null) {
            throw new IllegalArgumentException("pipeline " + pipeline + " is not deployed on this node");
        }
        if (!runtime.dimensionsReady()) {
            throw new IllegalStateException("the dimensions of pipeline " + pipeline + " are not ready on this node yet");
        }
        return runtime.writeDimensionSnapshot(file);
    }
}
