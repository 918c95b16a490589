package io.kaflowsql.coordinator.assignment;

import static java.util.Objects.requireNonNull;

/**
 * One task of the cluster: partition {@code partition} of pipeline {@code pipeline} (its driving topic's
 * partition and the same partition of every event-table topic). Ordered by pipeline, then partition, so
 * every computation over tasks is deterministic.
 */
public record TaskId(String pipeline, int partition)
        implements Comparable<TaskId>
{
    public TaskId
    {
        requireNonNull(pipeline, "pipeline is null");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
    }

    /** Parses {@link #toString()}: {@code <pipeline>-<partition>}. */
    public static TaskId parse(String text)
    {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("not a task id (pipeline-partition): " + text);
        }
        return new TaskId(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1)));
    }

    @Override
    public int compareTo(TaskId other)
    {
        int byPipeline = pipeline.compareTo(other.pipeline);
        return byPipeline != 0 ? byPipeline : Integer.compare(partition, other.partition);
    }

    @Override
    public String toString()
    {
        return pipeline + "-" + partition;
    }
}
