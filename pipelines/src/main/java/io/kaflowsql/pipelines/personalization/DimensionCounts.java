package io.kaflowsql.pipelines.personalization;

/**
 * Records written by {@link TrafficProducer#loadDimensions}, per topic. Immutable.
 */
public record DimensionCounts(long userProfiles, long products, long purchaseHistory)
{
    public long total()
    {
        return userProfiles + products + purchaseHistory;
    }
}
