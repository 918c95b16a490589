package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.transfer.TransferSources;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.TaskStateDirectory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What this node serves to peers over state transfer: the checkpoints of its pipelines' tasks and snapshots
 * of their dimension tables.
 *
 * <p>Thread-safe.
 */
public final class RuntimeTransferSources
        implements TransferSources
{
    private final Map<String, PipelineRuntime> runtimes;

    public RuntimeTransferSources(List<PipelineRuntime> runtimes)
    {
        this.runtimes = runtimes.stream().collect(Collectors.toUnmodifiableMap(runtime -> runtime.pipeline().name(), Function.identity()));
    }

    @Override
    public Optional<TaskStateDirectory> taskState(String pipeline, int partition)
    {
        PipelineRuntime runtime = runtimes.get(pipeline);
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
        PipelineRuntime runtime = runtimes.get(pipeline);
        if (runtime == null) {
            throw new IllegalArgumentException("pipeline " + pipeline + " is not deployed on this node");
        }
        if (!runtime.dimensionsReady()) {
            throw new IllegalStateException("the dimensions of pipeline " + pipeline + " are not ready on this node yet");
        }
        return runtime.writeDimensionSnapshot(file);
    }
}
