package io.kaflowsql.pipelines.personalization;

import org.HdrHistogram.Histogram;

/**
 * End-to-end latency percentiles in microseconds over some set of records. Immutable.
 */
public record LatencySnapshot(long count, long p50Micros, long p95Micros, long p99Micros, long maxMicros)
{
    public static final LatencySnapshot EMPTY = new LatencySnapshot(0, 0, 0, 0, 0);

    static LatencySnapshot of(Histogram histogram)
    {
        if (histogram.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySnapshot(
                histogram.getTotalCount(),
                histogram.getValueAtPercentile(50),
                histogram.getValueAtPercentile(95),
                histogram.getValueAtPercentile(99),
                histogram.getMaxValue());
    }
}
