package io.kaflowsql.engine.api.runtime;

import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import io.kaflowsql.engine.internal.state.TaskCheckpoints.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A task's checkpoints on this node's disk, as other nodes ship them: the newest one, pinned copies of it
 * for the duration of a transfer, and checkpoints received from a peer.
 *
 * <p>Layout under the task directory: {@code checkpoints/<sequence>/} (written by the task, see
 * {@link TaskCheckpoints}), {@code pinned/<id>/} (hard links to a checkpoint's files, so pruning cannot
 * delete them while a peer reads them) and {@code incoming/<transferId>/} (a checkpoint being received; it
 * survives a failed attempt so the next one resumes).
 *
 * <p>Thread-safe: creating, publishing and pruning checkpoints hold the lock {@link TaskCheckpoints} keeps
 * per task directory, so the task's thread may write checkpoints meanwhile. Pins are not tracked in memory
 * (instances are created per call): a pin older than the pin lifetime, by its directory's modification
 * time, is deleted at the next {@link #pin}; {@link #touch} keeps a pin in use alive.
 */
public final class TaskStateDirectory
{
    private static final Logger log = LoggerFactory.getLogger(TaskStateDirectory.class);
    /** How long an untouched pin lives by default. */
    public static final Duration DEFAULT_PIN_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /**
     * A published checkpoint: its files (name -> size, the manifest {@value TaskCheckpoints#MANIFEST} included)
     * in {@code dir} and the changelog offset it reflects.
     */
    public record CheckpointFiles(long sequence, long changelogOffset, Path dir, Map<String, Long> files)
    {
        public CheckpointFiles
        {
            requireNonNull(dir, "dir is null");
            files = Map.copyOf(requireNonNull(files, "files is null"));
        }

        public long bytes()
        {
            return files.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A pinned copy of a checkpoint: {@code checkpoint.dir()} is the pin's own directory. */
    public record PinnedCheckpoint(String id, CheckpointFiles checkpoint)
    {
        public PinnedCheckpoint
        {
            requireNonNull(id, "id is null");
            requireNonNull(checkpoint, "checkpoint is null");
        }
    }

    private final Path taskDir;
    private final int keep;
    private final Clock clock;
    private final Duration pinLifetime;
    private final TaskCheckpoints checkpoints;

    public TaskStateDirectory(Path taskDir, int keep)
    {
        this(taskDir, keep, Clock.systemUTC(), DEFAULT_PIN_LIFETIME);
    }

    public TaskStateDirectory(Path taskDir, int keep, Clock clock, Duration pinLifetime)
    {
        this.taskDir = requireNonNull(taskDir, "taskDir is null");
        this.keep = keep;
        this.clock = requireNonNull(clock, "clock is null");
        this.pinLifetime = requireNonNull(pinLifetime, "pinLifetime is null");
        this.checkpoints = new TaskCheckpoints(taskDir, keep);
    }

    public Path taskDir()
    {
        return taskDir;
    }

    public int keep()
    {
        return keep;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<CheckpointFiles> newest()
    {
        return checkpoints.newestFirst().stream().findFirst().map(TaskStateDirectory::files);
    }

    /**
     * Pins {@code checkpoint}: hard-links its files into {@code pinned/<id>/}. Deletes expired pins first.
     *
     * @throws IllegalStateException when the checkpoint was pruned meanwhile (take {@link #newest()} again)
     */
    public PinnedCheckpoint pin(CheckpointFiles checkpoint)
    {
        requireNonNull(checkpoint, "checkpoint is null");
        deleteExpiredPins();
        String id = UUID.randomUUID().toString();
        Path dir = taskDir.resolve("pinned").resolve(id);
        Optional<Checkpoint> linked = checkpoints.linkInto(checkpoint.sequence(), dir);
        if (linked.isEmpty()) {
            deleteQuietly(dir);
            throw new IllegalStateException("checkpoint " + checkpoint.sequence() + " of " + taskDir + " is gone (pruned); pin the newest one again");
        }
        touch(id);
        return new PinnedCheckpoint(id, files(linked.get()));
    }

    /** Marks a pin as in use now, so it does not expire while a transfer reads it. No-op for an unknown pin. */
    public void touch(String id)
    {
        Path dir = pinDir(id);
        try {
            Files.setLastModifiedTime(dir, FileTime.from(clock.instant()));
        }
        catch (IOException e) {
            // released or expired meanwhile
        }
    }

    /** Deletes a pin (idempotent). */
    public void unpin(String id)
    {
        deleteQuietly(pinDir(id));
    }

    /** The directory a checkpoint from a peer is received into (created; reused by a later attempt). */
    public Path incomingDir(String transferId)
    {
        try {
            return Files.createDirectories(taskDir.resolve("incoming").resolve(checkName(transferId)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create incoming directory in " + taskDir, e);
        }
    }

    /**
     * Publishes a received checkpoint as this task's newest (renumbered to the next local sequence) and
     * prunes all but the newest {@code keep}.
     *
     * @throws IllegalStateException when the incoming directory lacks the manifest or a file it lists
     */
    public CheckpointFiles publishIncoming(String transferId)
    {
        Path incoming = taskDir.resolve("incoming").resolve(checkName(transferId));
        if (!Files.isDirectory(incoming)) {
            throw new IllegalStateException("nothing received for transfer " + transferId + " in " + incoming);
        }
        return files(checkpoints.publish(incoming));
    }

    private void deleteExpiredPins()
    {
        Path pinned = taskDir.resolve("pinned");
        if (!Files.isDirectory(pinned)) {
            return;
        }
        Instant oldest = clock.instant().minus(pinLifetime);
        try (Stream<Path> listing = Files.list(pinned)) {
            for (Path pin : listing.toList()) {
                if (Files.getLastModifiedTime(pin).toInstant().isBefore(oldest)) {
                    log.info("Deleting expired checkpoint pin {}", pin);
                    deleteQuietly(pin);
                }
            }
        }
        catch (IOException e) {
            log.warn("Cannot list checkpoint pins in {}: {}", pinned, e.toString());
        }
    }

    private Path pinDir(String id)
    {
        return taskDir.resolve("pinned").resolve(checkName(id));
    }

    private static String checkName(String name)
    {
        requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("not a valid transfer or pin id: '" + name + "'");
        }
        return name;
    }

    private static CheckpointFiles files(Checkpoint checkpoint)
    {
        Map<String, Long> files = new TreeMap<>(checkpoint.files());
        try {
            files.put(TaskCheckpoints.MANIFEST, Files.size(checkpoint.dir().resolve(TaskCheckpoints.MANIFEST)));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of checkpoint " + checkpoint.dir(), e);
        }
        return new CheckpointFiles(checkpoint.sequence(), checkpoint.changelogOffset(), checkpoint.dir(), files);
    }

    private static void deleteQuietly(Path path)
    {
        try {
            TaskCheckpoints.deleteRecursively(path);
        }
        catch (IOException e) {
            log.warn("Cannot delete {}: {}", path, e.toString());
        }
    }
}
