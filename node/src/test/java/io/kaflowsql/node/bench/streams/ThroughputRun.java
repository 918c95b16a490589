package io.kaflowsql.node.bench.streams;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One engine working off the click backlog: its steady rate over the window, what it cost, and how long it
 * took to start. Immutable.
 *
 * @param clicksPerSecond clicks committed per second over the window (the click topic's committed offsets)
 * @param resultsPerSecond results appended to the output topic per second over the window
 * @param cores CPU time of the engine process over the window / window length
 * @param readyMillis process launch to the engine saying it is ready (node {@code /ready}, Streams RUNNING)
 * @param firstOutputMillis process launch to the append time of its first result
 * @param peakRssBytes the process's VmHWM at the end of the window
 * @param heapAfterGcBytes Java heap in use after a full GC at the end of the window, if {@code jcmd} answered
 * @param backlogLeft false if the engine reached the end of the backlog before the window ended (the rate is then too low)
 */
record ThroughputRun(Engine engine, double clicksPerSecond, double resultsPerSecond, double cores, long readyMillis, long firstOutputMillis,
        long peakRssBytes, OptionalLong heapAfterGcBytes, boolean backlogLeft)
{
    ThroughputRun
    {
        requireNonNull(engine, "engine is null");
        requireNonNull(heapAfterGcBytes, "heapAfterGcBytes is null");
    }

    /** Clicks per second of CPU the engine process used: the rate with the machine's other load factored out. */
    double clicksPerCpuSecond()
    {
        return cores <= 0 ? 0 : clicksPerSecond / cores;
    }
}
