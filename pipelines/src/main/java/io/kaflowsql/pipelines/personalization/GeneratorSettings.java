package io.kaflowsql.pipelines.personalization;

import java.time.Instant;

/**
 * Size and shape of a generated personalization data set. Immutable; change one setting with the
 * {@code withX} methods. Defaults reproduce the seed spec's "Performance Characteristics".
 *
 * <p>The purchase-history hit rate seen by clicks is {@code profileHitRate * purchaseHistoryShare}:
 * only known users can have a history, and {@code purchaseHistoryShare} of them do.
 *
 * @param users number of user profiles ({@code user_00000001} .. {@code user_<users>})
 * @param products number of catalog products ({@code prod_000001} .. {@code prod_<products>})
 * @param purchaseHistoryShare share of users that have a {@code purchase_history} record
 * @param profileHitRate share of clicks whose {@code user_id} has a profile (the rest are unknown users)
 * @param productHitRate share of clicks whose {@code product_id} is in the catalog
 * @param filteredEventShare share of clicks whose {@code event_type} the seed's WHERE filters out
 * @param seed seed of every random choice: same settings, same records
 * @param startEpochMillis event time of the dimension records; dates in them are relative to it
 */
public record GeneratorSettings(
        int users,
        int products,
        double purchaseHistoryShare,
        double profileHitRate,
        double productHitRate,
        double filteredEventShare,
        long seed,
        long startEpochMillis)
{
    public static final int DEFAULT_USERS = 1_000;
    public static final int DEFAULT_PRODUCTS = 500;
    public static final double DEFAULT_PURCHASE_HISTORY_SHARE = 0.88;
    public static final double DEFAULT_PROFILE_HIT_RATE = 0.95;
    public static final double DEFAULT_PRODUCT_HIT_RATE = 0.92;
    public static final double DEFAULT_FILTERED_EVENT_SHARE = 0.10;
    public static final long DEFAULT_SEED = 42;
    /** The spec's example instant; live runs should pass the injected clock's time instead. */
    public static final long DEFAULT_START_EPOCH_MILLIS = Instant.parse("2025-07-05T14:30:00Z").toEpochMilli();

    public GeneratorSettings
    {
        if (users < 1 || users > 90_000_000) {
            throw new IllegalArgumentException("users must be in [1, 90000000], was " + users);
        }
        if (products < 1 || products > 90_000_000) {
            throw new IllegalArgumentException("products must be in [1, 90000000], was " + products);
        }
        checkShare("purchaseHistoryShare", purchaseHistoryShare);
        checkShare("profileHitRate", profileHitRate);
        checkShare("productHitRate", productHitRate);
        checkShare("filteredEventShare", filteredEventShare);
        if (startEpochMillis < 0) {
            throw new IllegalArgumentException("startEpochMillis must not be negative, was " + startEpochMillis);
        }
    }

    public static GeneratorSettings defaults()
    {
        return new GeneratorSettings(
                DEFAULT_USERS,
                DEFAULT_PRODUCTS,
                DEFAULT_PURCHASE_HISTORY_SHARE,
                DEFAULT_PROFILE_HIT_RATE,
                DEFAULT_PRODUCT_HIT_RATE,
                DEFAULT_FILTERED_EVENT_SHARE,
                DEFAULT_SEED,
                DEFAULT_START_EPOCH_MILLIS);
    }

    public GeneratorSettings withUsers(int users)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withProducts(int products)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withPurchaseHistoryShare(double purchaseHistoryShare)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withProfileHitRate(double profileHitRate)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withProductHitRate(double productHitRate)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withFilteredEventShare(double filteredEventShare)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withSeed(long seed)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    public GeneratorSettings withStartEpochMillis(long startEpochMillis)
    {
        return new GeneratorSettings(users, products, purchaseHistoryShare, profileHitRate, productHitRate, filteredEventShare, seed, startEpochMillis);
    }

    private static void checkShare(String name, double value)
    {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
