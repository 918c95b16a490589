package io.kaflowsql.engine.api.runtime;

import static java.util.Objects.requireNonNull;

/**
 * How a node got its copy of a pipeline's dimension tables ({@link PipelineRuntime#dimensionBootstrap()}).
 *
 * @param source where the rows came from; {@link Source#PENDING} until the loader has started
 * @param snapshotRows rows loaded from a peer's snapshot (0 unless {@link Source#SNAPSHOT})
 * @param topicRecords records read from the dimension topics since the start (after a snapshot: only the tail,
 *        then whatever arrives while following the topics)
 */
public record DimensionBootstrapStats(Source source, long snapshotRows, long topicRecords)
{
    /** Where the dimension rows came from. */
    public enum Source
    {
        PENDING, SNAPSHOT, TOPIC
    }

    public static final DimensionBootstrapStats PENDING = new DimensionBootstrapStats(Source.PENDING, 0, 0);

    public DimensionBootstrapStats
    {
        requireNonNull(source, "source is null");
    }
}
