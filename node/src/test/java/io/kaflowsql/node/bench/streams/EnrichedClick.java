package io.kaflowsql.node.bench.streams;

import static java.util.Objects.requireNonNull;

/**
 * A click on its way through the joins: each join fills one slot, a miss leaves it null (the LEFT JOINs'
 * NULL row). Immutable; the {@code with} methods return copies (four references, cheap to allocate).
 */
record EnrichedClick(Click click, History history, Profile profile, Product product)
{
    EnrichedClick
    {
        requireNonNull(click, "click is null");
    }

    static EnrichedClick of(Click click, History history)
    {
        return new EnrichedClick(click, history, null, null);
    }

    EnrichedClick withProfile(Profile value)
    {
        return new EnrichedClick(click, history, value, product);
    }

    EnrichedClick withProduct(Product value)
    {
        return new EnrichedClick(click, history, profile, value);
    }

    /**
     * The seed's {@code emission: smart} with {@code require: [user_subscription_tier, product_category]}: only a
     * click with both is written. The engine holds an incomplete click until a late profile or product completes
     * it (or its TTL passes); this application drops it at once, which gives the same output when the dimensions
     * are loaded before the clicks (as in the benchmark) and does less work for those clicks.
     */
    boolean complete()
    {
        return profile != null && profile.subscriptionTier() != null && product != null && product.category() != null;
    }
}
