package io.kaflowsql.engine.api.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a node gets a head start on a pipeline's dimension tables: a snapshot written by a peer
 * ({@link PipelineRuntime#writeDimensionSnapshot}), so a joining node loads it and reads only the topic
 * tail after the snapshot's offsets instead of the whole topic.
 *
 * <p>Called once per pipeline start, on the pipeline's startup thread.
 */
@FunctionalInterface
public interface DimensionBootstrap
{
    /** Reads every dimension topic from the beginning. */
    DimensionBootstrap NONE = (pipeline, directory) -> Optional.empty();

    /**
     * Fetches a snapshot of {@code pipeline}'s dimensions into a file under {@code directory}; empty when no
     * peer has one (the loader then reads the topics from the beginning).
     */
    Optional<Path> fetchSnapshot(String pipeline, Path directory)
            throws InterruptedException;
}
