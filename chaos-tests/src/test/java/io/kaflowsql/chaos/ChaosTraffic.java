package io.kaflowsql.chaos;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * The input of a chaos run, deterministic from a seed: the joined rows written before any node starts
 * ({@code user_profiles}, {@code products}, {@code purchase_history}, all stamped before the first click), then a
 * live stream of clicks with, if {@code updateShare > 0}, changes to the joined rows mixed in (a profile's orders
 * and tier, a product's price and rating, a purchase that rewrites a user's history), 10 ms of event time apart.
 *
 * <p>Every click names an existing user and product, so the seed's smart emission never has to hold one: every
 * click that passes WHERE is emitted as soon as it is processed, enriched with whatever version of its user,
 * product and history the processing node has then. About 10% of the clicks have an event type WHERE drops.
 *
 * <p>Immutable and thread-safe.
 *
 * @param initialRows the joined rows written before the run
 * @param live clicks and row changes in the order they are written
 */
record ChaosTraffic(List<GeneratedRecord> initialRows, List<GeneratedRecord> live)
{
    private static final long FIRST_LIVE_DELAY_MILLIS = 60_000;
    private static final long SPACING_MILLIS = 10;
    private static final long UPDATE_SALT = 0x5EED_CAFEL;

    ChaosTraffic
    {
        initialRows = List.copyOf(requireNonNull(initialRows, "initialRows is null"));
        live = List.copyOf(requireNonNull(live, "live is null"));
    }

    /**
     * @param liveRecords how many live records (clicks and row changes) to generate
     * @param updateShare share of the live records that change a joined row (0 for clicks only)
     */
    static ChaosTraffic generate(long seed, int liveRecords, double updateShare)
    {
        if (updateShare < 0 || updateShare > 0.5) {
            throw new IllegalArgumentException("updateShare must be in [0, 0.5]: " + updateShare);
        }
        GeneratorSettings settings = GeneratorSettings.defaults()
                .withProfileHitRate(1.0)
                .withProductHitRate(1.0)
                .withSeed(seed);
        PersonalizationDataset dataset = new PersonalizationDataset(settings);
        List<GeneratedRecord> initial = new ArrayList<>();
        initial.addAll(dataset.userProfiles());
        initial.addAll(dataset.products());
        initial.addAll(dataset.purchaseHistory());
        SplittableRandom kinds = new SplittableRandom(seed ^ UPDATE_SALT);
        long first = settings.startEpochMillis() + FIRST_LIVE_DELAY_MILLIS;
        List<GeneratedRecord> live = new ArrayList<>(liveRecords);
        for (int i = 0; i < liveRecords; i++) {
            long time = first + i * SPACING_MILLIS;
            double draw = kinds.nextDouble();
            if (draw >= updateShare) {
                live.add(dataset.nextClick(time));
            }
            else if (draw < updateShare * 0.4) {
                live.add(dataset.nextProfileUpdate(time));
            }
            else if (draw < updateShare * 0.7) {
                live.add(dataset.nextProductUpdate(time));
            }
            else {
                live.add(dataset.nextPurchase(time));
            }
        }
        return new ChaosTraffic(initial, live);
    }

    /** The clicks among the live records. */
    long clicks()
    {
        return live.stream().filter(record -> record.topic().equals(PersonalizationTopics.CLICKSTREAMS)).count();
    }
}
