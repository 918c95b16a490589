package io.kaflowsql.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One node's state directory as a fault target. With {@link #mount} it is a small tmpfs of its own ({@code mount -t
 * tmpfs -o size=...}, as root), so {@link #fill} can make it truly full: a filler file takes every free byte and the
 * node's next write gets ENOSPC, as on a full disk; {@link #free} deletes the filler. Without the mount, the directory
 * is on the machine's disk and only {@link #deleteFiles} works. The tmpfs device is named {@code kfchaos<pid>} after
 * this JVM, so mounts left by a killed run are found and unmounted by the next one.
 *
 * <p>Not thread-safe: one scenario thread drives it.
 */
final class StateDisk
        implements AutoCloseable
{
    private static final String DEVICE_PREFIX = "kfchaos";
    private static final Pattern STALE = Pattern.compile("^" + DEVICE_PREFIX + "(\\d+) (\\S+) tmpfs ", Pattern.MULTILINE);
    private static final String FILLER = "chaos-disk-filler";

    private final Path dir;
    private boolean mounted;

    StateDisk(Path dir)
    {
        this.dir = requireNonNull(dir, "dir is null");
    }

    Path dir()
    {
        return dir;
    }

    boolean isMounted()
    {
        return mounted;
    }

    /**
     * Mounts a tmpfs of {@code bytes} on the (new, empty) directory. Returns false, with the reason printed, where that
     * is not allowed (not root, no mount): the run then goes on with the directory on disk and without the full-disk fault.
     */
    boolean mount(long bytes)
    {
        try {
            Files.createDirectories(dir);
            unmountStale();
            HostCommands.run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=0755", DEVICE_PREFIX + ProcessHandle.current().pid(), dir.toString());
            mounted = true;
            return true;
        }
        catch (IOException | IllegalStateException e) {
            System.out.println("[disk] no tmpfs for " + dir + " (" + e.getMessage() + "); the full-disk fault is not available");
            return false;
        }
    }

    /** Takes every free byte of the tmpfs with a filler file; returns how many bytes it took. */
    long fill()
    {
        if (!mounted) {
            throw new IllegalStateException("filling needs the tmpfs mount; " + dir + " is on the machine's disk");
        }
        long written = 0;
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER))) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        }
        catch (IOException e) {
            // ENOSPC: full; a partial last chunk may be in the file
            return written;
        }
    }

    /** Deletes the filler, giving the space back. */
    void free()
    {
        try {
            Files.deleteIfExists(dir.resolve(FILLER));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete the filler in " + dir, e);
        }
    }

    /**
     * Deletes files under the directory while the node runs, as a careless operator or a failing disk would: with
     * {@code everything}, every file and folder; otherwise a random half of the files. Returns the paths deleted,
     * relative to the directory.
     */
    List<String> deleteFiles(boolean everything, Random random)
    {
        List<String> deleted = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                {
                    if (everything || random.nextBoolean()) {
                        delete(file, deleted);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                {
                    if (everything && !directory.equals(dir)) {
                        delete(directory, deleted);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException failure)
                {
                    return FileVisitResult.CONTINUE; // the node deleted or renamed it meanwhile
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + dir, e);
        }
        return deleted;
    }

    private void delete(Path path, List<String> deleted)
    {
        try {
            if (Files.deleteIfExists(path)) {
                deleted.add(dir.relativize(path).toString());
            }
        }
        catch (IOException e) {
            // the node is writing there (a directory that is not empty again): leave it
        }
    }

    @Override
    public void close()
    {
        if (mounted) {
            try {
                HostCommands.run("umount", "-l", dir.toString());
            }
            catch (IllegalStateException e) {
                System.out.println("[disk] could not unmount " + dir + ": " + e.getMessage());
            }
            mounted = false;
        }
    }

    /** Unmounts tmpfs mounts of chaos runs whose JVM no longer runs. */
    private static void unmountStale()
            throws IOException
    {
        Matcher matcher = STALE.matcher(Files.readString(Path.of("/proc/mounts"), StandardCharsets.UTF_8));
        while (matcher.find()) {
            long pid = Long.parseLong(matcher.group(1));
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    HostCommands.run("umount", "-l", matcher.group(2));
                    System.out.println("[disk] unmounted " + matcher.group(2) + ", left by a test run that no longer runs");
                }
                catch (IllegalStateException e) {
                    // gone meanwhile
                }
            }
        }
    }
}
