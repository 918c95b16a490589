package io.kaflowsql.pipelines.personalization;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A {@code user_profiles} row, field for field as in the seed spec's "Data Schema". Immutable.
 *
 * @param signupDate {@code yyyy-MM-dd}
 * @param lifetimeValue rounded to cents
 */
public record UserProfile(
        String userId,
        String email,
        String subscriptionTier,
        String ageGroup,
        String location,
        List<String> preferences,
        String signupDate,
        int totalOrders,
        double lifetimeValue)
{
    public UserProfile
    {
        requireNonNull(userId, "userId is null");
        requireNonNull(email, "email is null");
        requireNonNull(subscriptionTier, "subscriptionTier is null");
        requireNonNull(ageGroup, "ageGroup is null");
        requireNonNull(location, "location is null");
        preferences = List.copyOf(requireNonNull(preferences, "preferences is null"));
        requireNonNull(signupDate, "signupDate is null");
    }

    public String toJson()
    {
        return new JsonObjectWriter()
                .field("user_id", userId)
                .field("email", email)
                .field("subscription_tier", subscriptionTier)
                .field("age_group", ageGroup)
                .field("location", location)
                .field("preferences", preferences)
                .field("signup_date", signupDate)
                .field("total_orders", totalOrders)
                .field("lifetime_value", lifetimeValue)
                .finish();
    }

    public GeneratedRecord toRecord(long timestampMillis)
    {
        return new GeneratedRecord(PersonalizationTopics.USER_PROFILES, userId, toJson(), timestampMillis);
    }
}
