package io.kaflowsql.node.bench.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine the benchmark runs on, as its report states it: processors, memory, and the load average (the
 * machine may be shared, so every phase says how busy it was). Stateless; thread-safe.
 */
final class MachineLoad
{
    private MachineLoad() {}

    /** {@code load average 1.2 0.9 0.8 on 2 processors, 23.4 GiB RAM (20.1 GiB available)} */
    static String describe()
    {
        return "load average " + loadAverages() + " on " + Runtime.getRuntime().availableProcessors() + " processors, " + memory();
    }

    private static String loadAverages()
    {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String memory()
    {
        try {
            long total = -1;
            long available = -1;
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = kilobytes(line);
                }
                else if (line.startsWith("MemAvailable:")) {
                    available = kilobytes(line);
                }
            }
            return String.format(java.util.Locale.ROOT, "%.1f GiB RAM (%.1f GiB available)", total / 1048576.0, available / 1048576.0);
        }
        catch (IOException | RuntimeException e) {
            return "RAM unknown";
        }
    }

    private static long kilobytes(String line)
    {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0]);
    }
}
