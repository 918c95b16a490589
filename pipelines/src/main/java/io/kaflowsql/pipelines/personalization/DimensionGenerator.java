package io.kaflowsql.pipelines.personalization;

import io.kaflowsql.pipelines.personalization.CatalogVocabulary.Category;
import io.kaflowsql.pipelines.personalization.CatalogVocabulary.Subcategory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.kaflowsql.pipelines.personalization.CatalogVocabulary.CATEGORIES;
import static io.kaflowsql.pipelines.personalization.CatalogVocabulary.CATEGORY_NAMES;
import static java.util.Objects.requireNonNull;

/**
 * Derives each user profile, product and purchase history from (seed, index) alone, so any row can
 * be produced in any order without keeping the others: streaming 5M profiles needs no memory, and
 * the click generator can look up a user's preferences without a table. Thread-safe (stateless
 * apart from immutable settings).
 *
 * <p>Products are assigned to categories round-robin ({@code index % 8}), which lets a click pick
 * "a product in the user's preferred category" in O(1).
 */
final class DimensionGenerator
{
    static final long DAY_MILLIS = 86_400_000L;

    private static final long USER_SALT = 0x5EED_0001L;
    private static final long PRODUCT_SALT = 0x5EED_0002L;
    private static final long HISTORY_SALT = 0x5EED_0003L;

    private final GeneratorSettings settings;
    private final long startDay;

    DimensionGenerator(GeneratorSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.startDay = Math.floorDiv(settings.startEpochMillis(), DAY_MILLIS);
    }

    static String userId(long number)
    {
        return paddedId("user_", number, 8);
    }

    static String productId(long number)
    {
        return paddedId("prod_", number, 6);
    }

    UserProfile userProfile(int index)
    {
        checkIndex(index, settings.users());
        SplittableRandom random = random(USER_SALT, index);
        String email = pick(CatalogVocabulary.FIRST_NAMES, random) + "." + pick(CatalogVocabulary.LAST_NAMES, random)
                + (index + 1) + "@" + pick(CatalogVocabulary.EMAIL_DOMAINS, random);
        String tier = CatalogVocabulary.SUBSCRIPTION_TIER.pick(random);
        String ageGroup = CatalogVocabulary.AGE_GROUP.pick(random);
        String location = CatalogVocabulary.LOCATION.pick(random);
        List<String> preferences = distinct(CATEGORY_NAMES, 1 + random.nextInt(4), random);
        String signupDate = LocalDate.ofEpochDay(startDay - 1 - random.nextInt(1500)).toString();
        double meanOrders = switch (tier) {
            case "premium" -> 22;
            case "basic" -> 9;
            default -> 3;
        };
        int totalOrders = (int) Math.min(400, -meanOrders * Math.log(1 - random.nextDouble()));
        double averageOrder = Math.exp(Math.log(20) + random.nextDouble() * (Math.log(320) - Math.log(20)));
        double lifetimeValue = cents(totalOrders * averageOrder);
        return new UserProfile(userId(index + 1), email, tier, ageGroup, location, preferences, signupDate, totalOrders, lifetimeValue);
    }

    Product product(int index)
    {
        checkIndex(index, settings.products());
        SplittableRandom random = random(PRODUCT_SALT, index);
        Category category = categoryOfProduct(index);
        Subcategory subcategory = pick(category.subcategories(), random);
        String brand = pick(category.brands(), random);
        String name = brand + " " + pick(subcategory.nouns(), random) + " " + pick(CatalogVocabulary.NAME_ADJECTIVES, random)
                + (subcategory.sizes().isEmpty() ? "" : " " + pick(subcategory.sizes(), random));
        double price = retailPrice(Math.exp(Math.log(subcategory.minPrice())
                + random.nextDouble() * (Math.log(subcategory.maxPrice()) - Math.log(subcategory.minPrice()))));
        double rating = clampRating(4.1 + random.nextGaussian() * 0.6);
        List<String> tags = new ArrayList<>(distinct(category.tags(), 1 + random.nextInt(3), random));
        if (random.nextDouble() < 0.4) {
            tags.add(pick(CatalogVocabulary.GENERAL_TAGS, random));
        }
        if (price > 0.6 * subcategory.maxPrice()) {
            tags.add("premium");
        }
        boolean inStock = random.nextDouble() < 0.9;
        return new Product(productId(index + 1), name, category.name(), subcategory.name(), brand, price, rating, tags, inStock);
    }

    /** Whether user {@code index} has a purchase history; a pure function of (seed, index). */
    boolean hasPurchaseHistory(int index)
    {
        checkIndex(index, settings.users());
        return random(HISTORY_SALT, index).nextDouble() < settings.purchaseHistoryShare();
    }

    /** The purchase history of user {@code index}, consistent with its profile; call only if {@link #hasPurchaseHistory}. */
    PurchaseHistory purchaseHistory(int index, UserProfile profile)
    {
        SplittableRandom random = random(HISTORY_SALT, index);
        random.nextDouble(); // the hasPurchaseHistory draw
        String frequency = profile.totalOrders() >= 30 && random.nextBoolean() ? "weekly" : CatalogVocabulary.PURCHASE_FREQUENCY.pick(random);
        int maxDaysAgo = switch (frequency) {
            case "weekly" -> 7;
            case "monthly" -> 31;
            case "quarterly" -> 92;
            default -> 365;
        };
        long lastPurchaseMillis = settings.startEpochMillis() - random.nextInt(maxDaysAgo) * DAY_MILLIS - 1000L * (1 + random.nextInt(86_400));
        String lastCategory = random.nextDouble() < 0.7 ? pick(profile.preferences(), random) : pick(CATEGORY_NAMES, random);
        double avgOrderValue = profile.totalOrders() > 0
                ? cents(profile.lifetimeValue() / profile.totalOrders())
                : cents(15 + random.nextDouble() * 185);
        List<String> favoriteBrands = favoriteBrands(profile.preferences(), random);
        return new PurchaseHistory(profile.userId(), isoSeconds(lastPurchaseMillis), lastCategory, avgOrderValue, frequency, favoriteBrands);
    }

    static Category categoryOfProduct(int index)
    {
        return CATEGORIES.get(index % CATEGORIES.size());
    }

    /** Number of products in category number {@code category} under round-robin assignment. */
    int productsInCategory(int category)
    {
        int count = settings.products() - category;
        return count <= 0 ? 0 : (count + CATEGORIES.size() - 1) / CATEGORIES.size();
    }

    static List<String> favoriteBrands(List<String> preferences, SplittableRandom random)
    {
        List<String> candidates = new ArrayList<>();
        for (String preference : preferences) {
            candidates.addAll(CATEGORIES.get(CATEGORY_NAMES.indexOf(preference)).brands());
        }
        return distinct(candidates.stream().distinct().toList(), 1 + random.nextInt(3), random);
    }

    static String isoSeconds(long epochMillis)
    {
        return Instant.ofEpochMilli(Math.floorDiv(epochMillis, 1000L) * 1000L).toString();
    }

    static double cents(double value)
    {
        return Math.round(value * 100.0) / 100.0;
    }

    /** Prices end in .99, like a shop's. */
    static double retailPrice(double value)
    {
        return cents(Math.max(1, Math.floor(value)) - 0.01);
    }

    static double clampRating(double value)
    {
        return Math.round(Math.max(1.0, Math.min(5.0, value)) * 10.0) / 10.0;
    }

    static <T> T pick(List<T> values, SplittableRandom random)
    {
        return values.get(random.nextInt(values.size()));
    }

    /** {@code count} distinct values in random order (a partial Fisher-Yates shuffle). */
    static List<String> distinct(List<String> values, int count, SplittableRandom random)
    {
        String[] pool = values.toArray(new String[0]);
        int n = Math.min(count, pool.length);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(pool.length - i);
            String swap = pool[i];
            pool[i] = pool[j];
            pool[j] = swap;
        }
        return List.of(pool).subList(0, n);
    }

    private SplittableRandom random(long salt, long index)
    {
        return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L ^ salt * 0xBF58476D1CE4E5B9L ^ index * 0x94D049BB133111EBL);
    }

    private static void checkIndex(int index, int size)
    {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
    }

    private static String paddedId(String prefix, long number, int width)
    {
        String digits = Long.toString(number);
        StringBuilder id = new StringBuilder(prefix.length() + Math.max(width, digits.length())).append(prefix);
        for (int i = digits.length(); i < width; i++) {
            id.append('0');
        }
        return id.append(digits).toString();
    }
}
