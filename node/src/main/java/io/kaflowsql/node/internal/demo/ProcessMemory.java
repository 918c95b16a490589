package io.kaflowsql.node.internal.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * This process's memory at the end of a run: Java heap in use and committed, and the resident set (current
 * and peak, from {@code /proc/self/status}: heap, metaspace, thread stacks and RocksDB's native memory).
 */
final class ProcessMemory
{
    private static final long MIB = 1024 * 1024;

    private ProcessMemory() {}

    /** @param withBroker whether the embedded broker shares this process, so its memory is in the figures */
    static String describe(boolean withBroker)
    {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        String text = String.format(Locale.ROOT, "heap used %,d MiB of %,d MiB committed (max %,d MiB)",
                heap.getUsed() / MIB, heap.getCommitted() / MIB, heap.getMax() / MIB);
        long rss = statusKib("VmRSS:");
        long peak = statusKib("VmHWM:");
        if (rss > 0) {
            text += String.format(Locale.ROOT, "; resident %,d MiB, peak %,d MiB", rss / 1024, peak / 1024);
        }
        return text + (withBroker ? " (one process: node, embedded broker and load generator)" : " (one process: node and load generator)");
    }

    /** A {@code kB} figure of {@code /proc/self/status}; 0 where there is none (not Linux). */
    static long statusKib(String field)
    {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        }
        catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
