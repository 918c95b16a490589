package io.kaflowsql.node.bench.streams;

import io.kaflowsql.pipelines.personalization.LatencySnapshot;

import static java.util.Objects.requireNonNull;

/**
 * One engine fed clicks at a fixed rate: end-to-end latency of its results over the measured time (after a
 * warm-up), how many clicks were sent, and the process's peak memory. Immutable.
 *
 * @param resultsPerSecond results read per second over the measured time (about 79% of the click rate: the rest is filtered or incomplete)
 * @param cores CPU time of the engine process over the measured time / its length
 */
record LatencyRun(Engine engine, double rate, long sent, LatencySnapshot latency, double resultsPerSecond, double cores, long peakRssBytes)
{
    LatencyRun
    {
        requireNonNull(engine, "engine is null");
        requireNonNull(latency, "latency is null");
    }
}
