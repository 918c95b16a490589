package io.kaflowsql.coordinator.assignment;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A live node as the assignment function sees it.
 *
 * @param readyPipelines pipelines whose dimensions are ready on the node: only their tasks may go to it
 * @param acceptsTasks false while the node drains (or is not READY): it keeps no task in the target
 */
public record NodeCandidate(String nodeId, Set<String> readyPipelines, boolean acceptsTasks)
{
    public NodeCandidate
    {
        requireNonNull(nodeId, "nodeId is null");
        readyPipelines = Set.copyOf(requireNonNull(readyPipelines, "readyPipelines is null"));
    }

    public boolean canOwn(TaskId task)
    {
        return acceptsTasks && readyPipelines.contains(task.pipeline());
    }
}
