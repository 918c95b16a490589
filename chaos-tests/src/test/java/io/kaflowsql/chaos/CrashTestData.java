package io.kaflowsql.chaos;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The known input of a crash test, generated once and deterministic: the joined rows
 * ({@code user_profiles}, {@code products}, {@code purchase_history}), all stamped before any click,
 * and {@code clicks} clicks 10 ms of event time apart.
 *
 * <p>Every click references an existing user and product, so with all joined rows written before the
 * first click the seed's smart emission never holds a click, and the output of a crash-free run does
 * not depend on how Kafka interleaves topics: it is a pure function of this data (see
 * {@link ExpectedEnrichment}). About 10% of the clicks have an event type the pipeline's WHERE drops.
 *
 * <p>Immutable and thread-safe.
 */
record CrashTestData(List<GeneratedRecord> joinedRows, List<GeneratedRecord> clicks)
{
    private static final long FIRST_CLICK_DELAY_MILLIS = 60_000;
    private static final long CLICK_SPACING_MILLIS = 10;

    CrashTestData
    {
        joinedRows = List.copyOf(requireNonNull(joinedRows, "joinedRows is null"));
        clicks = List.copyOf(requireNonNull(clicks, "clicks is null"));
    }

    static CrashTestData generate(int clickCount, long seed)
    {
        GeneratorSettings settings = GeneratorSettings.defaults()
                .withProfileHitRate(1.0)
                .withProductHitRate(1.0)
                .withSeed(seed);
        PersonalizationDataset dataset = new PersonalizationDataset(settings);
        List<GeneratedRecord> joined = new ArrayList<>();
        joined.addAll(dataset.userProfiles());
        joined.addAll(dataset.products());
        joined.addAll(dataset.purchaseHistory());
        long firstClick = settings.startEpochMillis() + FIRST_CLICK_DELAY_MILLIS;
        List<GeneratedRecord> clicks = new ArrayList<>(clickCount);
        for (int i = 0; i < clickCount; i++) {
            clicks.add(dataset.nextClick(firstClick + i * CLICK_SPACING_MILLIS));
        }
        return new CrashTestData(joined, clicks);
    }
}
