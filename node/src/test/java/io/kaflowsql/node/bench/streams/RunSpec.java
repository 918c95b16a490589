package io.kaflowsql.node.bench.streams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one engine process of one benchmark phase gets: a name of its own (cluster name, application id and
 * consumer group derive from it, so no run sees another's offsets or state), the click topic it reads, the
 * topic it writes, the guarantee and commit interval, its JVM heap, and a directory for its state and log.
 * Immutable.
 */
record RunSpec(String name, String clicksTopic, String outputTopic, String guarantee, long commitIntervalMillis, String heap, Path dir,
        List<String> extraJvmFlags)
{
    RunSpec
    {
        requireNonNull(name, "name is null");
        requireNonNull(clicksTopic, "clicksTopic is null");
        requireNonNull(outputTopic, "outputTopic is null");
        requireNonNull(guarantee, "guarantee is null");
        requireNonNull(heap, "heap is null");
        requireNonNull(dir, "dir is null");
        extraJvmFlags = List.copyOf(requireNonNull(extraJvmFlags, "extraJvmFlags is null"));
        if (commitIntervalMillis <= 0) {
            throw new IllegalArgumentException("commitIntervalMillis must be positive: " + commitIntervalMillis);
        }
    }

    /** The JVM flags both engines get: same heap, same collector, then the extra ones (a profiler, say). */
    List<String> jvmFlags()
    {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseG1GC", "-Djava.io.tmpdir=" + dir.resolve("tmp")));
        flags.addAll(extraJvmFlags);
        return flags;
    }
}
