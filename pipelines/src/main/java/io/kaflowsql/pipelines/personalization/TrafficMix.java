package io.kaflowsql.pipelines.personalization;

/**
 * How often {@link TrafficProducer#runClicks} interleaves a change to a joined source with the
 * clicks: one profile update after every {@code clicksPerProfileUpdate} clicks, and so on; 0 turns
 * that kind of change off. Immutable.
 *
 * @param maxBatch most records sent per pacing step (bounds the burst after a slow send)
 */
public record TrafficMix(int clicksPerProfileUpdate, int clicksPerPurchase, int clicksPerProductUpdate, int maxBatch)
{
    /** One profile update per 200 clicks, one purchase per 100, one product change per 1,000. */
    public static final TrafficMix DEFAULT = new TrafficMix(200, 100, 1_000, 1_000);
    /** Clicks only. */
    public static final TrafficMix CLICKS_ONLY = new TrafficMix(0, 0, 0, 1_000);

    public TrafficMix
    {
        if (clicksPerProfileUpdate < 0 || clicksPerPurchase < 0 || clicksPerProductUpdate < 0) {
            throw new IllegalArgumentException("clicks per change must be 0 (off) or positive: " + clicksPerProfileUpdate + ", "
                    + clicksPerPurchase + ", " + clicksPerProductUpdate);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be positive, was " + maxBatch);
        }
    }
}
