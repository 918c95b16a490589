package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestPersonalizationDataset
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long T0 = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
    private static final Set<String> CATEGORIES = Set.of("electronics", "books", "home", "fashion", "sports", "beauty", "toys", "grocery");

    /** Field names in spec order; "text", "int", "double", "bool", "text[]" as the JSON type. */
    private static final Map<String, String> CLICK_SHAPE = shape(
            "event_id", "text", "user_id", "text", "session_id", "text", "event_type", "text", "page_url", "text",
            "product_id", "text", "timestamp", "text", "referrer", "text", "device", "text", "location", "text");
    private static final Map<String, String> PROFILE_SHAPE = shape(
            "user_id", "text", "email", "text", "subscription_tier", "text", "age_group", "text", "location", "text",
            "preferences", "text[]", "signup_date", "text", "total_orders", "int", "lifetime_value", "double");
    private static final Map<String, String> PRODUCT_SHAPE = shape(
            "product_id", "text", "name", "text", "category", "text", "subcategory", "text", "brand", "text",
            "price", "double", "rating", "double", "tags", "text[]", "in_stock", "bool");
    private static final Map<String, String> HISTORY_SHAPE = shape(
            "user_id", "text", "last_purchase_date", "text", "last_category", "text", "avg_order_value", "double",
            "purchase_frequency", "text", "favorite_brands", "text[]");

    @Test
    void sameSeedGivesSameRecords()
    {
        PersonalizationDataset first = new PersonalizationDataset(GeneratorSettings.defaults());
        PersonalizationDataset second = new PersonalizationDataset(GeneratorSettings.defaults());

        assertThat(first.userProfiles()).isEqualTo(second.userProfiles());
        assertThat(first.products()).isEqualTo(second.products());
        assertThat(first.purchaseHistory()).isEqualTo(second.purchaseHistory());
        assertThat(liveStream(first, 2_000)).isEqualTo(liveStream(second, 2_000));
    }

    @Test
    void differentSeedGivesDifferentRecords()
    {
        PersonalizationDataset first = new PersonalizationDataset(GeneratorSettings.defaults());
        PersonalizationDataset second = new PersonalizationDataset(GeneratorSettings.defaults().withSeed(7));

        assertThat(first.userProfiles()).isNotEqualTo(second.userProfiles());
        assertThat(first.products()).isNotEqualTo(second.products());
        assertThat(liveStream(first, 100)).isNotEqualTo(liveStream(second, 100));
    }

    @Test
    void randomAccessAgreesWithStreaming()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        List<GeneratedRecord> profiles = dataset.userProfiles();

        assertThat(profiles.get(123)).isEqualTo(dataset.userProfile(123).toRecord(T0));
        assertThat(dataset.products().get(77)).isEqualTo(dataset.product(77).toRecord(T0));
        Iterator<GeneratedRecord> iterator = dataset.userProfileIterator();
        assertThat(iterator.next()).isEqualTo(profiles.get(0));
    }

    @Test
    void everyRecordHasTheSpecShapeAndKeyEqualsItsIdField()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());

        dataset.forEachUserProfile(record -> assertShape(record, PersonalizationTopics.USER_PROFILES, PROFILE_SHAPE, "user_id"));
        dataset.forEachProduct(record -> assertShape(record, PersonalizationTopics.PRODUCTS, PRODUCT_SHAPE, "product_id"));
        dataset.forEachPurchaseHistory(record -> assertShape(record, PersonalizationTopics.PURCHASE_HISTORY, HISTORY_SHAPE, "user_id"));
        for (int i = 0; i < 1_000; i++) {
            assertShape(dataset.nextClick(T0 + i * 37L), PersonalizationTopics.CLICKSTREAMS, CLICK_SHAPE, "user_id");
            assertShape(dataset.nextProfileUpdate(T0 + i), PersonalizationTopics.USER_PROFILES, PROFILE_SHAPE, "user_id");
            assertShape(dataset.nextPurchase(T0 + i), PersonalizationTopics.PURCHASE_HISTORY, HISTORY_SHAPE, "user_id");
            assertShape(dataset.nextProductUpdate(T0 + i), PersonalizationTopics.PRODUCTS, PRODUCT_SHAPE, "product_id");
        }
    }

    @Test
    void dimensionValuesAreRealistic()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        LocalDate startDay = LocalDate.parse(Instant.ofEpochMilli(T0).toString().substring(0, 10));
        int premiumHighValue = 0;
        for (GeneratedRecord record : dataset.userProfiles()) {
            JsonNode profile = parse(record);
            assertThat(profile.get("user_id").asText()).matches("user_\\d{8}");
            assertThat(profile.get("email").asText()).matches("[a-z]+\\.[a-z]+\\d+@example\\.(com|org|net)");
            assertThat(profile.get("subscription_tier").asText()).isIn("free", "basic", "premium");
            assertThat(profile.get("location").asText()).matches("[A-Z]{2}-[A-Z0-9]{2,3}");
            assertThat(texts(profile.get("preferences"))).hasSizeBetween(1, 4).doesNotHaveDuplicates().isSubsetOf(CATEGORIES);
            assertThat(LocalDate.parse(profile.get("signup_date").asText())).isBefore(startDay);
            assertThat(profile.get("total_orders").asInt()).isNotNegative();
            assertThat(profile.get("lifetime_value").asDouble()).isNotNegative();
            if (profile.get("subscription_tier").asText().equals("premium") && profile.get("lifetime_value").asDouble() > 2000) {
                premiumHighValue++;
            }
        }
        assertThat(premiumHighValue).as("premium users with lifetime value > 2000 (seed's high_value_premium tier)").isGreaterThan(10);

        for (GeneratedRecord record : dataset.products()) {
            JsonNode product = parse(record);
            assertThat(product.get("product_id").asText()).matches("prod_\\d{6}");
            assertThat(product.get("category").asText()).isIn(CATEGORIES);
            assertThat(product.get("price").asDouble()).isPositive();
            double rating = product.get("rating").asDouble();
            assertThat(rating).isBetween(1.0, 5.0);
            assertThat(Math.round(rating * 10) / 10.0).isEqualTo(rating);
            assertThat(texts(product.get("tags"))).isNotEmpty();
        }
        for (GeneratedRecord record : dataset.purchaseHistory()) {
            JsonNode history = parse(record);
            assertThat(Instant.parse(history.get("last_purchase_date").asText())).isBefore(Instant.ofEpochMilli(T0));
            assertThat(history.get("last_category").asText()).isIn(CATEGORIES);
            assertThat(history.get("purchase_frequency").asText()).isIn("weekly", "monthly", "quarterly", "rarely");
            assertThat(texts(history.get("favorite_brands"))).hasSizeBetween(1, 3);
        }
    }

    @Test
    void productNamesWithQuotesSurviveJson()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        List<String> inchNames = new ArrayList<>();
        for (GeneratedRecord record : dataset.products()) {
            String name = parse(record).get("name").asText();
            if (name.endsWith("\"")) {
                inchNames.add(name);
            }
        }
        assertThat(inchNames).isNotEmpty().allSatisfy(name -> assertThat(name).matches(".* \\d+(\\.\\d)?\""));
    }

    @Test
    void clickJoinHitRatesMatchSettings()
    {
        GeneratorSettings settings = GeneratorSettings.defaults();
        PersonalizationDataset dataset = new PersonalizationDataset(settings);
        Set<String> profileIds = ids(dataset.userProfiles());
        Set<String> productIds = ids(dataset.products());
        Set<String> historyIds = ids(dataset.purchaseHistory());
        int clicks = 10_000;
        int profileHits = 0;
        int productHits = 0;
        int historyHits = 0;
        for (int i = 0; i < clicks; i++) {
            ClickEvent click = dataset.nextClickEvent(T0 + i);
            profileHits += profileIds.contains(click.userId()) ? 1 : 0;
            productHits += productIds.contains(click.productId()) ? 1 : 0;
            historyHits += historyIds.contains(click.userId()) ? 1 : 0;
        }

        assertThat(profileHits / (double) clicks).isCloseTo(0.95, within(0.01));
        assertThat(productHits / (double) clicks).isCloseTo(0.92, within(0.01));
        assertThat(historyHits / (double) clicks).isCloseTo(0.95 * 0.88, within(0.02));
    }

    @Test
    void purchaseHistoryShareOfUsersMatchesSettings()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(20_000));

        assertThat(dataset.purchaseHistoryCount() / 20_000.0).isCloseTo(0.88, within(0.01));
        assertThat(dataset.purchaseHistory()).hasSize((int) dataset.purchaseHistoryCount());
    }

    @Test
    void hitRatesFollowNonDefaultSettings()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withProfileHitRate(0.5).withProductHitRate(1.0));
        Set<String> profileIds = ids(dataset.userProfiles());
        Set<String> productIds = ids(dataset.products());
        int profileHits = 0;
        int productHits = 0;
        for (int i = 0; i < 10_000; i++) {
            ClickEvent click = dataset.nextClickEvent(T0 + i);
            profileHits += profileIds.contains(click.userId()) ? 1 : 0;
            productHits += productIds.contains(click.productId()) ? 1 : 0;
        }
        assertThat(profileHits / 10_000.0).isCloseTo(0.5, within(0.02));
        assertThat(productHits).isEqualTo(10_000);
    }

    @Test
    void seedWhereFiltersOutTheConfiguredShareOfClicks()
    {
        assertFilteredShare(GeneratorSettings.DEFAULT_FILTERED_EVENT_SHARE);
        assertFilteredShare(0.3);
        assertFilteredShare(0.0);
    }

    @Test
    void clickTimestampFieldEqualsRecordTimestamp()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        for (int i = 0; i < 1_000; i++) {
            long eventTime = T0 + i * 1_234L;
            GeneratedRecord record = dataset.nextClick(eventTime);
            assertThat(record.timestampMillis()).isEqualTo(eventTime);
            assertThat(Instant.parse(parse(record).get("timestamp").asText()).toEpochMilli()).isEqualTo(eventTime);
        }
    }

    @Test
    void idsAreUnique()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        Set<String> eventIds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            eventIds.add(dataset.nextClickEvent(T0 + i).eventId());
        }
        assertThat(eventIds).hasSize(10_000);
        assertThat(eventIds).allSatisfy(id -> assertThat(id).matches("evt_\\d{10}"));
        assertThat(ids(dataset.userProfiles())).hasSize(GeneratorSettings.DEFAULT_USERS);
        assertThat(ids(dataset.products())).hasSize(GeneratorSettings.DEFAULT_PRODUCTS);
        assertThat(ids(dataset.purchaseHistory())).hasSize((int) dataset.purchaseHistoryCount());
    }

    @Test
    void sessionIsStableForAUserWithinHalfAnHour()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(3));
        Map<String, Set<String>> sessionsByUser = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            JsonNode click = parse(dataset.nextClick(T0 + i * 1_000L)); // 500 s, inside one 30-minute bucket
            sessionsByUser.computeIfAbsent(click.get("user_id").asText(), ignored -> new HashSet<>()).add(click.get("session_id").asText());
        }
        assertThat(sessionsByUser.get("user_00000001")).hasSize(1);
        assertThat(sessionsByUser.get("user_00000001")).doesNotContainAnyElementsOf(sessionsByUser.get("user_00000002"));
    }

    @Test
    void mostKnownClicksLandInAPreferredCategory()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        Map<String, JsonNode> profiles = byId(dataset.userProfiles());
        Map<String, JsonNode> products = byId(dataset.products());
        int both = 0;
        int preferred = 0;
        for (int i = 0; i < 10_000; i++) {
            ClickEvent click = dataset.nextClickEvent(T0 + i);
            JsonNode profile = profiles.get(click.userId());
            JsonNode product = products.get(click.productId());
            if (profile != null && product != null) {
                both++;
                preferred += texts(profile.get("preferences")).contains(product.get("category").asText()) ? 1 : 0;
            }
        }
        assertThat(preferred / (double) both).isBetween(0.6, 0.85);
    }

    @Test
    void liveChangesReferToExistingRows()
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        Map<String, JsonNode> profiles = byId(dataset.userProfiles());
        Set<String> productIds = ids(dataset.products());
        for (int i = 0; i < 500; i++) {
            JsonNode update = parse(dataset.nextProfileUpdate(T0 + i));
            JsonNode base = profiles.get(update.get("user_id").asText());
            assertThat(base).isNotNull();
            assertThat(update.get("total_orders").asInt()).isGreaterThan(base.get("total_orders").asInt());
            assertThat(update.get("email")).isEqualTo(base.get("email"));

            GeneratedRecord purchase = dataset.nextPurchase(T0 + i);
            assertThat(profiles).containsKey(purchase.key());
            assertThat(Instant.parse(parse(purchase).get("last_purchase_date").asText()).toEpochMilli()).isEqualTo(T0 + i);

            assertThat(productIds).contains(dataset.nextProductUpdate(T0 + i).key());
        }
    }

    private static void assertFilteredShare(double share)
    {
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withFilteredEventShare(share));
        int filtered = 0;
        for (int i = 0; i < 10_000; i++) {
            ClickEvent click = dataset.nextClickEvent(T0 + i);
            String eventType = click.eventType();
            boolean kept = List.of("page_view", "add_to_cart", "search").contains(eventType);
            assertThat(click.passesSeedFilter()).isEqualTo(kept);
            if (!kept) {
                assertThat(eventType).isIn("click", "scroll", "purchase");
                filtered++;
            }
        }
        assertThat(filtered / 10_000.0).as("filtered share for %s", share).isCloseTo(share, within(0.012));
    }

    private static void assertShape(GeneratedRecord record, String topic, Map<String, String> shape, String keyField)
    {
        assertThat(record.topic()).isEqualTo(topic);
        JsonNode node = parse(record);
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).as(record.json()).containsExactlyElementsOf(shape.keySet());
        shape.forEach((field, type) -> assertThat(typeOf(node.get(field))).as("%s in %s", field, record.json()).isEqualTo(type));
        assertThat(record.key()).isEqualTo(node.get(keyField).asText());
    }

    private static String typeOf(JsonNode value)
    {
        if (value.isTextual()) {
            return "text";
        }
        if (value.isIntegralNumber()) {
            return "int";
        }
        if (value.isFloatingPointNumber()) {
            return "double";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        if (value.isArray()) {
            boolean allText = true;
            for (JsonNode element : value) {
                allText &= element.getNodeType() == JsonNodeType.STRING;
            }
            return allText ? "text[]" : "array";
        }
        return value.getNodeType().toString();
    }

    private static List<GeneratedRecord> liveStream(PersonalizationDataset dataset, int clicks)
    {
        List<GeneratedRecord> records = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            records.add(dataset.nextClick(T0 + i * 10L));
            if (i % 50 == 0) {
                records.add(dataset.nextProfileUpdate(T0 + i * 10L));
                records.add(dataset.nextPurchase(T0 + i * 10L));
                records.add(dataset.nextProductUpdate(T0 + i * 10L));
            }
        }
        return records;
    }

    private static Set<String> ids(List<GeneratedRecord> records)
    {
        Set<String> ids = new HashSet<>();
        records.forEach(record -> ids.add(record.key()));
        return ids;
    }

    private static Map<String, JsonNode> byId(List<GeneratedRecord> records)
    {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        records.forEach(record -> byId.put(record.key(), parse(record)));
        return byId;
    }

    private static List<String> texts(JsonNode array)
    {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    static JsonNode parse(GeneratedRecord record)
    {
        try {
            return MAPPER.readTree(record.json());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> shape(String... pairs)
    {
        Map<String, String> shape = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            shape.put(pairs[i], pairs[i + 1]);
        }
        return shape;
    }
}
