package io.kaflowsql.pipelines.personalization;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static io.kaflowsql.pipelines.personalization.CatalogVocabulary.CATEGORIES;
import static io.kaflowsql.pipelines.personalization.CatalogVocabulary.CATEGORY_NAMES;
import static io.kaflowsql.pipelines.personalization.DimensionGenerator.cents;
import static io.kaflowsql.pipelines.personalization.DimensionGenerator.pick;
import static java.util.Objects.requireNonNull;

/**
 * The live stream: clicks plus occasional profile, purchase and product changes, drawn from one
 * seeded random sequence, so the same sequence of calls yields the same records. Not thread-safe:
 * one producer thread owns an instance.
 *
 * <p>Realism: active users and popular products are skewed (power law over the index), 60% of a
 * known user's clicks land in a preferred category, a session id is stable for a user within a
 * 30-minute bucket and fixes the session's device and referrer. Changes regenerate the row from
 * its base version and apply one delta; they are not cumulative across updates of the same row.
 */
final class LiveEventGenerator
{
    private static final long LIVE_SALT = 0x11FE_57EAL;
    private static final long SESSION_MILLIS = 30 * 60_000L;
    private static final double PREFERRED_CATEGORY_SHARE = 0.6;

    private final GeneratorSettings settings;
    private final DimensionGenerator dimensions;
    private final SplittableRandom random;
    private long clicks;

    LiveEventGenerator(GeneratorSettings settings, DimensionGenerator dimensions)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.dimensions = requireNonNull(dimensions, "dimensions is null");
        this.random = new SplittableRandom(settings.seed() ^ LIVE_SALT);
    }

    ClickEvent nextClick(long eventTimeMillis)
    {
        clicks++;
        boolean knownUser = random.nextDouble() < settings.profileHitRate();
        long userNumber = knownUser ? pickUser() + 1L : unknownNumber(settings.users());
        UserProfile profile = knownUser ? dimensions.userProfile((int) (userNumber - 1)) : null;
        boolean knownProduct = random.nextDouble() < settings.productHitRate();
        Product product = knownProduct ? dimensions.product(pickProduct(profile)) : null;
        String productId = knownProduct ? product.productId() : DimensionGenerator.productId(unknownNumber(settings.products()));
        String eventType = random.nextDouble() < settings.filteredEventShare()
                ? CatalogVocabulary.FILTERED_EVENT_TYPE.pick(random)
                : CatalogVocabulary.KEPT_EVENT_TYPE.pick(random);
        long sessionHash = mix(settings.seed() ^ userNumber * 0x9E3779B97F4A7C15L ^ Math.floorDiv(eventTimeMillis, SESSION_MILLIS));
        SplittableRandom session = new SplittableRandom(sessionHash);
        String location = profile != null && random.nextDouble() < 0.9 ? profile.location() : CatalogVocabulary.LOCATION.pick(random);
        return new ClickEvent(
                "evt_" + zeroPadded(clicks, 10),
                DimensionGenerator.userId(userNumber),
                "sess_" + Long.toHexString(sessionHash >>> 16),
                eventType,
                pageUrl(eventType, productId, product),
                productId,
                Instant.ofEpochMilli(eventTimeMillis).toString(),
                CatalogVocabulary.REFERRER.pick(session),
                CatalogVocabulary.DEVICE.pick(session),
                location);
    }

    UserProfile nextProfileUpdate()
    {
        UserProfile base = dimensions.userProfile(pickUser());
        int newOrders = 1 + random.nextInt(3);
        double orderValue = cents(20 + random.nextDouble() * 280);
        String tier = base.subscriptionTier();
        if (random.nextDouble() < 0.05) {
            tier = tier.equals("free") ? "basic" : "premium";
        }
        return new UserProfile(base.userId(), base.email(), tier, base.ageGroup(), base.location(), base.preferences(),
                base.signupDate(), base.totalOrders() + newOrders, cents(base.lifetimeValue() + newOrders * orderValue));
    }

    PurchaseHistory nextPurchase(long eventTimeMillis)
    {
        int userIndex = pickUser();
        UserProfile profile = dimensions.userProfile(userIndex);
        Product bought = dimensions.product(pickProduct(profile));
        PurchaseHistory previous = dimensions.hasPurchaseHistory(userIndex) ? dimensions.purchaseHistory(userIndex, profile) : null;
        List<String> brands = new ArrayList<>();
        brands.add(bought.brand());
        double avgOrderValue = bought.price();
        String frequency = CatalogVocabulary.PURCHASE_FREQUENCY.pick(random);
        if (previous != null) {
            previous.favoriteBrands().stream().filter(brand -> !brands.contains(brand)).limit(2).forEach(brands::add);
            avgOrderValue = 0.8 * previous.avgOrderValue() + 0.2 * bought.price();
            frequency = previous.purchaseFrequency();
        }
        return new PurchaseHistory(profile.userId(), Instant.ofEpochMilli(eventTimeMillis).toString(), bought.category(),
                cents(avgOrderValue), frequency, brands);
    }

    Product nextProductUpdate()
    {
        Product base = dimensions.product(pickProduct(null));
        double price = DimensionGenerator.retailPrice(base.price() * (0.85 + random.nextDouble() * 0.3));
        double rating = DimensionGenerator.clampRating(base.rating() + (random.nextInt(3) - 1) * 0.1);
        boolean inStock = random.nextDouble() < 0.9;
        return new Product(base.productId(), base.name(), base.category(), base.subcategory(), base.brand(), price, rating, base.tags(), inStock);
    }

    long clicksGenerated()
    {
        return clicks;
    }

    /** Power-law skew: low indices are the most active users. */
    private int pickUser()
    {
        return Math.min(settings.users() - 1, (int) (settings.users() * Math.pow(random.nextDouble(), 1.6)));
    }

    private int pickProduct(UserProfile profile)
    {
        if (profile != null && random.nextDouble() < PREFERRED_CATEGORY_SHARE) {
            int category = CATEGORY_NAMES.indexOf(pick(profile.preferences(), random));
            int inCategory = dimensions.productsInCategory(category);
            if (inCategory > 0) {
                int rank = Math.min(inCategory - 1, (int) (inCategory * Math.pow(random.nextDouble(), 2)));
                return category + rank * CATEGORIES.size();
            }
        }
        return Math.min(settings.products() - 1, (int) (settings.products() * Math.pow(random.nextDouble(), 2)));
    }

    /** A number above {@code known}, so its id never matches a generated row. */
    private long unknownNumber(int known)
    {
        return known + 1L + random.nextInt(Math.max(known, 1_000));
    }

    private String pageUrl(String eventType, String productId, Product product)
    {
        String productPage = product == null ? "/product/" + productId : "/product/" + product.category() + "/" + slug(product.name());
        return switch (eventType) {
            case "add_to_cart" -> "/cart/add/" + productId;
            case "search" -> "/search?q=" + (product == null ? "deals" : slug(product.subcategory()).replace('-', '+'));
            case "purchase" -> "/checkout/confirmation";
            default -> productPage;
        };
    }

    static String slug(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        StringBuilder slug = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                slug.append(c);
            }
            else if (slug.length() > 0 && slug.charAt(slug.length() - 1) != '-') {
                slug.append('-');
            }
        }
        int end = slug.length();
        while (end > 0 && slug.charAt(end - 1) == '-') {
            end--;
        }
        return slug.substring(0, end);
    }

    private static String zeroPadded(long value, int width)
    {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /** Stafford's mix13 finaliser (as in SplittableRandom): spreads consecutive inputs over 64 bits. */
    private static long mix(long z)
    {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
