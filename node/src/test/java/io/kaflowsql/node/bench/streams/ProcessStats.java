package io.kaflowsql.node.bench.streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmark reads about an engine process from Linux and the JDK: peak and current resident memory
 * ({@code VmHWM}, {@code VmRSS} of {@code /proc/<pid>/status}: heap, metaspace, thread stacks and RocksDB's
 * native memory alike), CPU time ({@code /proc/<pid>/stat}), and the Java heap in use right after a full GC
 * ({@code jcmd <pid> GC.run} then {@code GC.heap_info}). Stateless; thread-safe.
 */
final class ProcessStats
{
    /** {@code /proc} CPU times are in clock ticks; 100 per second on every Linux the JVM supports here. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K");

    private ProcessStats() {}

    /** Peak resident set size in bytes; -1 once the process is gone. */
    static long peakRssBytes(long pid)
    {
        return bytes(statusKilobytes(pid, "VmHWM:"));
    }

    /** Current resident set size in bytes; -1 once the process is gone. */
    static long rssBytes(long pid)
    {
        return bytes(statusKilobytes(pid, "VmRSS:"));
    }

    /** User + system CPU time of the process so far; -1 once it is gone. */
    static long cpuNanos(long pid)
    {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name (which may contain spaces) start at field 3 (state); utime and stime are fields 14 and 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        }
        catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Java heap in use after a full GC, in bytes, by asking the process with {@code jcmd} (a short-lived JVM of
     * its own, so call it outside measured windows); empty if {@code jcmd} is missing or the answer unreadable.
     */
    static OptionalLong heapAfterGcBytes(long pid)
    {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return OptionalLong.empty();
        }
        if (run(List.of(jcmd.toString(), Long.toString(pid), "GC.run")) == null) {
            return OptionalLong.empty();
        }
        String info = run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
        if (info == null) {
            return OptionalLong.empty();
        }
        Matcher used = HEAP_USED.matcher(info);
        return used.find() ? OptionalLong.of(Long.parseLong(used.group(1)) * 1024) : OptionalLong.empty();
    }

    private static String run(List<String> command)
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return new String(output, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return null;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long bytes(long kilobytes)
    {
        return kilobytes < 0 ? -1 : kilobytes * 1024;
    }

    private static long statusKilobytes(long pid, String field)
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return -1;
        }
        catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
