package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.fault.FaultInjection;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.FormatVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The checkpoints of one task's RocksDB store, in {@code <taskDir>/checkpoints/<sequence>/}, and the live
 * store they are restored into ({@code <taskDir>/live/}).
 *
 * <p>A checkpoint is a RocksDB checkpoint (SST files hard-linked, so taking one costs milliseconds) plus
 * a manifest ({@code checkpoint.properties}: the changelog offset the state reflects, the input offsets,
 * and every file with its size). It is written under {@code tmp-<sequence>} and published by one atomic
 * rename, so a crash mid-checkpoint leaves a {@code tmp-} directory that is ignored and deleted, and the
 * previous checkpoint usable. A checkpoint whose manifest is unreadable or whose files are missing or of
 * another size is skipped (and kept); new checkpoints take sequences above it.
 *
 * <p>The manifest carries its format version ({@value #FORMAT_VERSION_KEY}, written as {@link FormatVersions} says
 * now; absent = 1, written before manifests were versioned). A checkpoint of a version this build does not read is
 * skipped like a damaged one, with a message naming the versions (the task then restores from the changelog), and a
 * received one is refused.
 *
 * <p>Listing runs on every cluster status update (four times a second per task), so a parsed manifest is remembered
 * by path while the manifest file keeps its size and modification time (a published checkpoint never changes); every
 * listing still checks that each file is there with its recorded size. A damaged checkpoint is logged once per
 * problem, not at every listing.
 *
 * <p>Thread-safe: the task's thread writes checkpoints while a state transfer may pin or publish one from
 * another thread. Every operation that lists, creates, moves or deletes checkpoints holds a lock shared by
 * all instances over the same task directory (instances are cheap and created in several places).
 */
public final class TaskCheckpoints
{
    private static final Logger log = LoggerFactory.getLogger(TaskCheckpoints.class);
    public static final String MANIFEST = "checkpoint.properties";
    public static final String FORMAT_VERSION_KEY = "format.version";
    private static final String TMP_PREFIX = "tmp-";
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, ParsedManifest> MANIFESTS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, String> PROBLEMS_LOGGED = new ConcurrentHashMap<>();

    /** A manifest as parsed, for the file as it was ({@code size}, {@code modified}). */
    private record ParsedManifest(long size, FileTime modified, int formatVersion, long changelogOffset, long createdAt, Map<String, Long> inputs,
            Map<String, Long> files) {}

    private final Path taskDir;
    private final Path checkpointsDir;
    private final Path liveDir;
    private final int keep;
    private final FormatVersions formats;
    private final Object lock;

    /** A published checkpoint. */
    public record Checkpoint(long sequence, Path dir, long changelogOffset, Map<String, Long> inputOffsets, long createdAtMillis,
            Map<String, Long> files)
    {
        public long bytes()
        {
            return files.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Checkpoints written in the oldest version this build reads (see {@link FormatVersions#forThisBuild()}). */
    public TaskCheckpoints(Path taskDir, int keep)
    {
        this(taskDir, keep, FormatVersions.forThisBuild());
    }

    /** Checkpoints written in the version {@code formats} says at the time of each write. */
    public TaskCheckpoints(Path taskDir, int keep, FormatVersions formats)
    {
        this(taskDir, keep, requireNonNull(taskDir, "taskDir is null").resolve("live"), formats);
    }

    private TaskCheckpoints(Path taskDir, int keep, Path liveDir, FormatVersions formats)
    {
        this.formats = requireNonNull(formats, "formats is null");
        this.taskDir = requireNonNull(taskDir, "taskDir is null");
        this.checkpointsDir = taskDir.resolve("checkpoints");
        this.liveDir = requireNonNull(liveDir, "liveDir is null");
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1: " + keep);
        }
        this.keep = keep;
        this.lock = LOCKS.computeIfAbsent(taskDir.toAbsolutePath().normalize(), ignored -> new Object());
    }

    /**
     * The same checkpoints, restored into {@code liveDir} instead of {@code <taskDir>/live}: a standby
     * warm-up rebuilds the state beside the live store, never in it.
     */
    public TaskCheckpoints withLiveDir(Path liveDir)
    {
        return new TaskCheckpoints(taskDir, keep, liveDir, formats);
    }

    public Path liveDir()
    {
        return liveDir;
    }

    /**
     * Checkpoints {@code store} (which must reflect exactly the changelog before {@code changelogOffset})
     * and prunes all but the newest {@code keep} checkpoints.
     */
    public Checkpoint write(RocksTaskStore store, long changelogOffset, Map<String, Long> inputOffsets, long nowMillis)
    {
        synchronized (lock) {
            return writeLocked(store, changelogOffset, inputOffsets, nowMillis);
        }
    }

    private Checkpoint writeLocked(RocksTaskStore store, long changelogOffset, Map<String, Long> inputOffsets, long nowMillis)
    {
        try {
            Files.createDirectories(checkpointsDir);
            long sequence = nextSequenceLocked();
            Path tmp = checkpointsDir.resolve(TMP_PREFIX + name(sequence));
            deleteRecursively(tmp);
            store.checkpoint(tmp);
            Map<String, Long> files = new TreeMap<>();
            try (Stream<Path> listing = Files.list(tmp)) {
                for (Path file : listing.toList()) {
                    files.put(file.getFileName().toString(), Files.size(file));
                }
            }
            writeManifest(tmp, formats.write(Format.CHECKPOINT), changelogOffset, inputOffsets, nowMillis, files);
            FaultInjection.reached(FaultInjection.HALT_IN_CHECKPOINT);
            Path published = checkpointsDir.resolve(name(sequence));
            Files.move(tmp, published, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(checkpointsDir);
            prune();
            return new Checkpoint(sequence, published, changelogOffset, Map.copyOf(inputOffsets), nowMillis, files);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + checkpointsDir, e);
        }
    }

    /** Published checkpoints that look complete, newest first; deletes leftovers of interrupted ones. */
    public List<Checkpoint> newestFirst()
    {
        synchronized (lock) {
            return newestFirstLocked();
        }
    }

    private List<Checkpoint> newestFirstLocked()
    {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        List<Checkpoint> valid = new ArrayList<>();
        try (Stream<Path> listing = Files.list(checkpointsDir)) {
            for (Path dir : listing.toList()) {
                String fileName = dir.getFileName().toString();
                if (fileName.startsWith(TMP_PREFIX)) {
                    log.info("Deleting interrupted checkpoint {}", dir);
                    deleteRecursively(dir);
                    continue;
                }
                readValid(dir).ifPresent(valid::add);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointsDir, e);
        }
        Path here = checkpointsDir.toAbsolutePath().normalize();
        MANIFESTS.keySet().removeIf(manifest -> here.equals(manifest.getParent().getParent()) && !Files.exists(manifest));
        PROBLEMS_LOGGED.keySet().removeIf(dir -> here.equals(dir.getParent()) && !Files.exists(dir));
        valid.sort(Comparator.comparingLong(Checkpoint::sequence).reversed());
        return valid;
    }

    /** Replaces the live store directory by a copy of {@code checkpoint} (SST files hard-linked). */
    public void materialize(Checkpoint checkpoint)
    {
        synchronized (lock) {
            materializeLocked(checkpoint);
        }
    }

    private void materializeLocked(Checkpoint checkpoint)
    {
        wipeLive();
        try {
            Path live = Files.createDirectories(liveDir());
            for (String file : checkpoint.files().keySet()) {
                Path source = checkpoint.dir().resolve(file);
                Path target = live.resolve(file);
                if (file.endsWith(".sst") || file.endsWith(".blob")) {
                    linkOrCopy(source, target);
                }
                else {
                    Files.copy(source, target);
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot restore checkpoint " + checkpoint.dir() + " into " + liveDir(), e);
        }
    }

    /** Deletes the live store directory (its contents are rebuilt from a checkpoint and the changelog). */
    public void wipeLive()
    {
        try {
            deleteRecursively(liveDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + liveDir(), e);
        }
    }

    /** Deletes one checkpoint, e.g. after it failed to open. */
    public void discard(Checkpoint checkpoint)
    {
        synchronized (lock) {
            try {
                deleteRecursively(checkpoint.dir());
            }
            catch (IOException e) {
                log.warn("Cannot delete checkpoint {}: {}", checkpoint.dir(), e.toString());
            }
        }
    }

    /**
     * Hard-links (or copies, where links are not supported) every file of the checkpoint with this sequence,
     * manifest included, into the new directory {@code target}, so that pruning cannot delete them while
     * they are read. Empty when that checkpoint is no longer there (pruned, or damaged).
     */
    public Optional<Checkpoint> linkInto(long sequence, Path target)
    {
        synchronized (lock) {
            Path dir = checkpointsDir.resolve(name(sequence));
            if (!Files.isDirectory(dir)) {
                return Optional.empty();
            }
            Optional<Checkpoint> found = readValid(dir);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Checkpoint checkpoint = found.get();
            try {
                Files.createDirectories(target);
                linkOrCopy(checkpoint.dir().resolve(MANIFEST), target.resolve(MANIFEST));
                for (String file : checkpoint.files().keySet()) {
                    linkOrCopy(checkpoint.dir().resolve(file), target.resolve(file));
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot link checkpoint " + checkpoint.dir() + " into " + target, e);
            }
            return Optional.of(new Checkpoint(sequence, target, checkpoint.changelogOffset(), checkpoint.inputOffsets(),
                    checkpoint.createdAtMillis(), checkpoint.files()));
        }
    }

    /**
     * Publishes a checkpoint received from elsewhere: {@code received} must hold a manifest and every file it
     * lists with the recorded size. It is moved (atomically) to the next local sequence, then old checkpoints
     * are pruned.
     *
     * @throws IllegalStateException when {@code received} is incomplete; nothing is moved then
     */
    public Checkpoint publish(Path received)
    {
        synchronized (lock) {
            Checkpoint incoming;
            try {
                incoming = readManifest(received, -1, false); // a received directory is checked once, then moved: nothing to remember
            }
            catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot publish received checkpoint " + received + ": " + e.getMessage(), e);
            }
            try {
                Files.createDirectories(checkpointsDir);
                long sequence = nextSequenceLocked();
                Path published = checkpointsDir.resolve(name(sequence));
                Files.move(received, published, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(checkpointsDir);
                prune();
                return new Checkpoint(sequence, published, incoming.changelogOffset(), incoming.inputOffsets(), incoming.createdAtMillis(),
                        incoming.files());
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot publish received checkpoint " + received + " in " + checkpointsDir, e);
            }
        }
    }

    /**
     * One above every numbered directory here, usable or not: a damaged or unreadable checkpoint is kept (for inspection,
     * or for a newer build that reads its format), and publishing onto its name would fail for ever.
     */
    private long nextSequenceLocked()
            throws IOException
    {
        long newest = 0;
        try (Stream<Path> listing = Files.list(checkpointsDir)) {
            for (Path dir : listing.toList()) {
                try {
                    newest = Math.max(newest, Long.parseLong(dir.getFileName().toString()));
                }
                catch (NumberFormatException e) {
                    // tmp- directories and strays: not a sequence
                }
            }
        }
        // also deletes leftovers of interrupted checkpoints
        return Math.max(newest, newestFirstLocked().stream().mapToLong(Checkpoint::sequence).max().orElse(0)) + 1;
    }

    private void prune()
            throws IOException
    {
        List<Checkpoint> all = newestFirstLocked();
        for (Checkpoint old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteRecursively(old.dir());
        }
    }

    private Optional<Checkpoint> readValid(Path dir)
    {
        long sequence;
        try {
            sequence = Long.parseLong(dir.getFileName().toString());
        }
        catch (NumberFormatException e) {
            log.warn("Ignoring {}: not a checkpoint directory", dir);
            return Optional.empty();
        }
        Path key = dir.toAbsolutePath().normalize();
        try {
            Checkpoint checkpoint = readManifest(dir, sequence, true);
            PROBLEMS_LOGGED.remove(key);
            return Optional.of(checkpoint);
        }
        catch (IOException | RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(PROBLEMS_LOGGED.put(key, problem))) {
                log.warn("Ignoring checkpoint {}: {}", dir, problem);
            }
            return Optional.empty();
        }
    }

    /** Reads and checks a checkpoint directory; the exception message says what is wrong with it. */
    private Checkpoint readManifest(Path dir, long sequence, boolean remember)
            throws IOException
    {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException("no " + MANIFEST);
        }
        ParsedManifest parsed = remember ? parseRemembered(manifest)
                : parse(manifest, Files.size(manifest), Files.getLastModifiedTime(manifest));
        formats.supported().check(Format.CHECKPOINT, parsed.formatVersion(), "in " + dir);
        for (Map.Entry<String, Long> file : parsed.files().entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path) || Files.size(path) != file.getValue()) {
                throw new IllegalStateException("file " + file.getKey() + " is missing or has another size than recorded (" + file.getValue() + " bytes)");
            }
        }
        return new Checkpoint(sequence, dir, parsed.changelogOffset(), parsed.inputs(), parsed.createdAt(), parsed.files());
    }

    /** Whether a parsed manifest of {@code dir} is remembered (for tests: received directories must not be). */
    static boolean remembersManifestOf(Path dir)
    {
        return MANIFESTS.containsKey(dir.resolve(MANIFEST).toAbsolutePath().normalize());
    }

    /** The manifest parsed, or as parsed before if the file has the same size and modification time. */
    private static ParsedManifest parseRemembered(Path manifest)
            throws IOException
    {
        Path key = manifest.toAbsolutePath().normalize();
        long size = Files.size(manifest);
        FileTime modified = Files.getLastModifiedTime(manifest);
        ParsedManifest known = MANIFESTS.get(key);
        if (known != null && known.size() == size && known.modified().equals(modified)) {
            return known;
        }
        ParsedManifest parsed = parse(manifest, size, modified);
        MANIFESTS.put(key, parsed);
        return parsed;
    }

    private static ParsedManifest parse(Path manifest, long size, FileTime modified)
            throws IOException
    {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, Long> files = new TreeMap<>();
        Map<String, Long> inputs = new TreeMap<>();
        try {
            for (String name : properties.stringPropertyNames()) {
                if (name.startsWith("file.")) {
                    files.put(name.substring(5), Long.parseLong(properties.getProperty(name)));
                }
                else if (name.startsWith("input.")) {
                    inputs.put(name.substring(6), Long.parseLong(properties.getProperty(name)));
                }
            }
            return new ParsedManifest(size, modified, Integer.parseInt(properties.getProperty(FORMAT_VERSION_KEY, "1")),
                    Long.parseLong(properties.getProperty("changelog.offset")), Long.parseLong(properties.getProperty("created.at")),
                    Collections.unmodifiableMap(inputs), Collections.unmodifiableMap(files));
        }
        catch (NumberFormatException e) {
            throw new IllegalStateException("unreadable manifest (" + e + ")", e);
        }
    }

    private static void writeManifest(Path dir, int formatVersion, long changelogOffset, Map<String, Long> inputOffsets, long nowMillis,
            Map<String, Long> files)
            throws IOException
    {
        Properties properties = new Properties();
        properties.setProperty(FORMAT_VERSION_KEY, Integer.toString(formatVersion));
        properties.setProperty("changelog.offset", Long.toString(changelogOffset));
        properties.setProperty("created.at", Long.toString(nowMillis));
        inputOffsets.forEach((partition, offset) -> properties.setProperty("input." + partition, Long.toString(offset)));
        files.forEach((file, size) -> properties.setProperty("file." + file, Long.toString(size)));
        Path manifest = dir.resolve(MANIFEST);
        try (OutputStream out = Files.newOutputStream(manifest)) {
            properties.store(out, "KaflowSQL task checkpoint");
        }
        try (FileChannel channel = FileChannel.open(manifest, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        syncDirectory(dir);
    }

    private static void linkOrCopy(Path source, Path target)
            throws IOException
    {
        try {
            Files.createLink(target, source);
        }
        catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target);
        }
    }

    private static void syncDirectory(Path dir)
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
        catch (IOException e) {
            // not every filesystem lets a directory be synced; the rename is still atomic
        }
    }

    private static String name(long sequence)
    {
        return String.format("%012d", sequence);
    }

    /** Deletes a file or a directory tree; nothing when it does not exist. */
    public static void deleteRecursively(Path path)
            throws IOException
    {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
