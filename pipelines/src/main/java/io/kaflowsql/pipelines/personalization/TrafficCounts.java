package io.kaflowsql.pipelines.personalization;

/**
 * What a {@link TrafficProducer} has sent so far (handed to the Kafka producer) and how many of
 * those the broker acknowledged or failed. Immutable snapshot.
 */
public record TrafficCounts(
        long clicks,
        long profileUpdates,
        long purchases,
        long productUpdates,
        long dimensionRecords,
        long acknowledged,
        long failed)
{
    /** Every record handed to the producer: dimensions, clicks and changes. */
    public long sent()
    {
        return clicks + profileUpdates + purchases + productUpdates + dimensionRecords;
    }
}
