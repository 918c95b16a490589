package io.kaflowsql.engine.api.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A task's checkpoints on this node's disk, as other nodes ship them: the newest one, pinned copies of it
 * for the duration of a transfer, and checkpoints received from a peer.
 * SKELETON: implemented by the state-transfer work.
 */
public final class TaskStateDirectory
{
    /** A published checkpoint: its files (name -> size) in {@code dir} and the changelog offset it reflects. */
    public record CheckpointFiles(long sequence, long changelogOffset, Path dir, Map<String, Long> files) {}

    private final Path taskDir;
    private final int keep;

    public TaskStateDirectory(Path taskDir, int keep)
    {
        this.taskDir = requireNonNull(taskDir, "taskDir is null");
        this.keep = keep;
    }

    public Path taskDir()
    {
        return taskDir;
    }

    public Optional<CheckpointFiles> newest()
    {
        throw new UnsupportedOperationException("not yet");
    }
}
