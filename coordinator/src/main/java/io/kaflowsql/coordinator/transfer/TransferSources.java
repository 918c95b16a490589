package io.kaflowsql.coordinator.transfer;

import io.kaflowsql.engine.api.runtime.TaskStateDirectory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What this node can serve to peers: the checkpoint directory of each task it holds and snapshots of each
 * pipeline's dimension tables. The node implements it over its pipeline runtimes.
 *
 * <p>Implementations must be thread-safe: the transfer service calls them from gRPC threads.
 */
public interface TransferSources
{
    /** The state directory of a task, or empty when this node does not know the pipeline or partition. */
    Optional<TaskStateDirectory> taskState(String pipeline, int partition);

    /**
     * Writes a snapshot of the pipeline's dimension tables to {@code file} and returns its row count.
     *
     * @throws IllegalArgumentException when this node does not run the pipeline (answered NOT_FOUND)
     * @throws IllegalStateException when its dimensions are not ready yet (answered UNAVAILABLE; retry later)
     */
    long writeDimensionSnapshot(String pipeline, Path file)
            throws Exception;
}
