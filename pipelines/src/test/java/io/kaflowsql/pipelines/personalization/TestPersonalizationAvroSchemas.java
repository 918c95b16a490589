package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TestPersonalizationAvroSchemas
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(50).withProducts(20));

    @Test
    void schemaFieldsAreTheGeneratedJsonFieldsInTheSameOrder()
            throws Exception
    {
        Map<String, GeneratedRecord> samples = Map.of(
                PersonalizationTopics.CLICKSTREAMS, dataset.nextClick(GeneratorSettings.DEFAULT_START_EPOCH_MILLIS),
                PersonalizationTopics.USER_PROFILES, dataset.userProfiles().get(0),
                PersonalizationTopics.PRODUCTS, dataset.products().get(0),
                PersonalizationTopics.PURCHASE_HISTORY, dataset.purchaseHistory().get(0));

        for (String topic : PersonalizationTopics.INPUTS) {
            List<String> jsonFields = new ArrayList<>();
            MAPPER.readTree(samples.get(topic).json()).fieldNames().forEachRemaining(jsonFields::add);
            Schema schema = PersonalizationAvroSchemas.of(topic);

            assertThat(schema.getFields()).extracting(Schema.Field::name).as(topic).containsExactlyElementsOf(jsonFields);
            assertThat(schema.getNamespace()).isEqualTo("io.kaflowsql.personalization");
            assertThat(schema.getFields()).allSatisfy(field -> assertThat(field.hasDefaultValue()).isFalse());
        }
    }

    @Test
    void fieldsHaveTheTypesOfTheirJsonValues()
    {
        assertThat(types(PersonalizationTopics.CLICKSTREAMS)).containsExactly(
                entry("event_id", "string"), entry("user_id", "string"), entry("session_id", "string"), entry("event_type", "string"),
                entry("page_url", "string"), entry("product_id", "string"), entry("timestamp", "timestamp-millis"),
                entry("referrer", "string"), entry("device", "string"), entry("location", "string"));
        assertThat(types(PersonalizationTopics.USER_PROFILES)).containsExactly(
                entry("user_id", "string"), entry("email", "string"), entry("subscription_tier", "string"), entry("age_group", "string"),
                entry("location", "string"), entry("preferences", "array<string>"), entry("signup_date", "date"),
                entry("total_orders", "long"), entry("lifetime_value", "double"));
        assertThat(types(PersonalizationTopics.PRODUCTS)).containsExactly(
                entry("product_id", "string"), entry("name", "string"), entry("category", "string"), entry("subcategory", "string"),
                entry("brand", "string"), entry("price", "double"), entry("rating", "double"), entry("tags", "array<string>"),
                entry("in_stock", "boolean"));
        assertThat(types(PersonalizationTopics.PURCHASE_HISTORY)).containsExactly(
                entry("user_id", "string"), entry("last_purchase_date", "timestamp-millis"), entry("last_category", "string"),
                entry("avg_order_value", "double"), entry("purchase_frequency", "string"), entry("favorite_brands", "array<string>"));
    }

    @Test
    void timestampsAreLongsWithTheTimestampMillisLogicalType()
    {
        Schema timestamp = PersonalizationAvroSchemas.of(PersonalizationTopics.CLICKSTREAMS).getField("timestamp").schema();

        assertThat(timestamp.toString()).isEqualTo("{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}");
    }

    @Test
    void eachCallGivesAnEqualButSeparateSchema()
    {
        Schema first = PersonalizationAvroSchemas.of(PersonalizationTopics.PRODUCTS);
        first.addProp("scribbled", "by a caller");

        assertThat(PersonalizationAvroSchemas.of(PersonalizationTopics.PRODUCTS).getProp("scribbled")).isNull();
    }

    @Test
    void unknownTopicIsRejectedNamingTheKnownOnes()
    {
        assertThatThrownBy(() -> PersonalizationAvroSchemas.of(PersonalizationTopics.PERSONALIZED_EVENTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("personalized_events")
                .hasMessageContaining("clickstreams");
    }

    private static Map<String, String> types(String topic)
    {
        Map<String, String> types = new LinkedHashMap<>();
        for (Schema.Field field : PersonalizationAvroSchemas.of(topic).getFields()) {
            types.put(field.name(), describe(field.schema()));
        }
        return types;
    }

    private static String describe(Schema schema)
    {
        if (schema.getLogicalType() != null) {
            return schema.getLogicalType().getName();
        }
        if (schema.getType() == Schema.Type.ARRAY) {
            return "array<" + describe(schema.getElementType()) + ">";
        }
        return schema.getType().getName();
    }
}
