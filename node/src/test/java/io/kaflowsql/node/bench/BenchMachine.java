package io.kaflowsql.node.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the benchmarks read about the machine and this JVM: the load average (the machine is shared, so
 * every report says how busy it was) and this process's CPU time (less sensitive to other processes than
 * wall time). Also deletes run directories. Stateless; thread-safe.
 */
final class BenchMachine
{
    private BenchMachine() {}

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute averages, with the processor count. */
    static String load()
    {
        String averages;
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            averages = fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (IOException | RuntimeException e) {
            averages = "unknown";
        }
        return "load average " + averages + " on " + Runtime.getRuntime().availableProcessors() + " processors";
    }

    /** CPU time used by this JVM so far (all threads: broker, node, clients), in nanoseconds. */
    static long processCpuNanos()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Bytes of the regular files under {@code dir} (hard links counted once per name); 0 if it does not exist. */
    static long sizeOf(Path dir)
    {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
        catch (IOException e) {
            return -1;
        }
    }

    static void deleteRecursively(Path dir)
    {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + dir, e);
        }
    }

    static Path temporaryDirectory(String prefix)
    {
        try {
            return Files.createTempDirectory(prefix);
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
