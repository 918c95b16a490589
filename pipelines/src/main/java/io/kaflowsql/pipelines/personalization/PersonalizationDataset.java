package io.kaflowsql.pipelines.personalization;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Deterministic, realistic data for the seed's personalization pipeline: the three joined
 * sources ({@code user_profiles}, {@code products}, {@code purchase_history}) and a live stream of
 * {@code clickstreams} events with occasional changes to the joined rows. Record shapes follow the
 * seed spec's "Data Schema" exactly; join hit rates follow {@link GeneratorSettings}.
 *
 * <p>Determinism: the same settings give the same dimension rows, and the same sequence of
 * {@code next...} calls (with the same event times) gives the same live records.
 *
 * <p>Threading: the dimension methods ({@link #userProfile}, {@link #userProfileStream}, ...) are
 * pure functions of (seed, index) and thread-safe, and stream lazily, so 5M profiles never sit in
 * memory. The live methods ({@code next...}) share one random sequence and are not thread-safe:
 * call them from one thread.
 */
public final class PersonalizationDataset
{
    private final GeneratorSettings settings;
    private final DimensionGenerator dimensions;
    private final LiveEventGenerator live;

    public PersonalizationDataset(GeneratorSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.dimensions = new DimensionGenerator(settings);
        this.live = new LiveEventGenerator(settings, dimensions);
    }

    public GeneratorSettings settings()
    {
        return settings;
    }

    /** The profile of user {@code index} in {@code [0, users)}; its id is {@code user_<index + 1>}, zero-padded to 8 digits. */
    public UserProfile userProfile(int index)
    {
        return dimensions.userProfile(index);
    }

    /** The product {@code index} in {@code [0, products)}; its id is {@code prod_<index + 1>}, zero-padded to 6 digits. */
    public Product product(int index)
    {
        return dimensions.product(index);
    }

    /** The purchase history of user {@code index}, if that user has one. */
    public Optional<PurchaseHistory> purchaseHistory(int index)
    {
        if (!dimensions.hasPurchaseHistory(index)) {
            return Optional.empty();
        }
        return Optional.of(dimensions.purchaseHistory(index, dimensions.userProfile(index)));
    }

    /** Every profile record, stamped with the settings' start time, in id order; lazy. */
    public Stream<GeneratedRecord> userProfileStream()
    {
        return IntStream.range(0, settings.users())
                .mapToObj(index -> dimensions.userProfile(index).toRecord(settings.startEpochMillis()));
    }

    /** Every product record, stamped with the settings' start time, in id order; lazy. */
    public Stream<GeneratedRecord> productStream()
    {
        return IntStream.range(0, settings.products())
                .mapToObj(index -> dimensions.product(index).toRecord(settings.startEpochMillis()));
    }

    /** The purchase-history records of the users that have one, stamped with the start time; lazy. */
    public Stream<GeneratedRecord> purchaseHistoryStream()
    {
        return IntStream.range(0, settings.users())
                .filter(dimensions::hasPurchaseHistory)
                .mapToObj(index -> dimensions.purchaseHistory(index, dimensions.userProfile(index)).toRecord(settings.startEpochMillis()));
    }

    public Iterator<GeneratedRecord> userProfileIterator()
    {
        return userProfileStream().iterator();
    }

    public Iterator<GeneratedRecord> productIterator()
    {
        return productStream().iterator();
    }

    public Iterator<GeneratedRecord> purchaseHistoryIterator()
    {
        return purchaseHistoryStream().iterator();
    }

    public void forEachUserProfile(Consumer<GeneratedRecord> action)
    {
        userProfileStream().forEach(action);
    }

    public void forEachProduct(Consumer<GeneratedRecord> action)
    {
        productStream().forEach(action);
    }

    public void forEachPurchaseHistory(Consumer<GeneratedRecord> action)
    {
        purchaseHistoryStream().forEach(action);
    }

    /** All profiles in memory; for small data sets and tests (use the stream for millions). */
    public List<GeneratedRecord> userProfiles()
    {
        return userProfileStream().toList();
    }

    public List<GeneratedRecord> products()
    {
        return productStream().toList();
    }

    public List<GeneratedRecord> purchaseHistory()
    {
        return purchaseHistoryStream().toList();
    }

    /** How many users have a purchase history (one cheap draw per user, no records built). */
    public long purchaseHistoryCount()
    {
        return IntStream.range(0, settings.users()).filter(dimensions::hasPurchaseHistory).count();
    }

    /** The next click, keyed by {@code user_id}, whose {@code timestamp} field and record time are {@code eventTimeMillis}. */
    public GeneratedRecord nextClick(long eventTimeMillis)
    {
        return live.nextClick(eventTimeMillis).toRecord(eventTimeMillis);
    }

    /** Like {@link #nextClick} but the typed event, e.g. for computing expected pipeline output. */
    public ClickEvent nextClickEvent(long eventTimeMillis)
    {
        return live.nextClick(eventTimeMillis);
    }

    /** A changed profile of an existing user (more orders and lifetime value, sometimes a tier upgrade). */
    public GeneratedRecord nextProfileUpdate(long eventTimeMillis)
    {
        return live.nextProfileUpdate().toRecord(eventTimeMillis);
    }

    /** A purchase by an existing user: the user's new purchase history, with {@code last_purchase_date} = event time. */
    public GeneratedRecord nextPurchase(long eventTimeMillis)
    {
        return live.nextPurchase(eventTimeMillis).toRecord(eventTimeMillis);
    }

    /** A changed catalog entry (price, rating, stock). */
    public GeneratedRecord nextProductUpdate(long eventTimeMillis)
    {
        return live.nextProductUpdate().toRecord(eventTimeMillis);
    }

    /** Clicks generated so far; the last event id is {@code evt_<this>}, zero-padded to 10 digits. */
    public long clicksGenerated()
    {
        return live.clicksGenerated();
    }
}
