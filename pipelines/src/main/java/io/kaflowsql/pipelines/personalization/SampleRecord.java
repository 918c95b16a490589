package io.kaflowsql.pipelines.personalization;

import static java.util.Objects.requireNonNull;

/**
 * One record seen by an {@link OutputLatencyProbe}, for showing "sample enriched events". Immutable.
 *
 * @param key the record key, or null
 * @param value the value rendered as text by the probe's renderer
 * @param latencyMicros receive time minus record timestamp
 */
public record SampleRecord(int partition, long offset, String key, String value, long timestampMillis, long latencyMicros)
{
    public SampleRecord
    {
        requireNonNull(value, "value is null");
    }
}
