package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestAvroValueEncoding
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long T0 = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
    private static final Set<String> ALL = Set.copyOf(PersonalizationTopics.INPUTS);

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry(101);
    private final PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(120).withProducts(48));

    @Test
    void everyGeneratedRecordDecodesUnderItsSchemaToTheJsonValues()
            throws IOException
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, ALL);
        List<GeneratedRecord> records = new ArrayList<>();
        records.addAll(dataset.userProfiles());
        records.addAll(dataset.products());
        records.addAll(dataset.purchaseHistory());
        for (int i = 0; i < 150; i++) {
            // Odd milliseconds, so sub-second instants are covered too.
            long eventTime = T0 + i * 1_337L;
            records.add(dataset.nextClick(eventTime));
            records.add(dataset.nextProfileUpdate(eventTime));
            records.add(dataset.nextPurchase(eventTime));
            records.add(dataset.nextProductUpdate(eventTime));
        }

        // Compared in plain Java and reported at the end: thousands of AssertJ calls are slow on a busy machine.
        List<String> mismatches = new ArrayList<>();
        for (GeneratedRecord record : records) {
            byte[] value = encoding.encode(record);
            int id = schemaIdOf(value);
            if (value[0] != 0 || id != encoding.schemaIds().get(record.topic())) {
                mismatches.add(record.topic() + ": header " + value[0] + "/" + id);
                continue;
            }
            GenericRecord decoded = decode(value, registry.schemaById(id));
            JsonNode json = MAPPER.readTree(record.json());
            Map<String, Object> actualFields = new LinkedHashMap<>();
            Map<String, Object> expectedFields = new LinkedHashMap<>();
            for (Schema.Field field : decoded.getSchema().getFields()) {
                actualFields.put(field.name(), normalized(decoded.get(field.pos())));
            }
            json.properties().forEach(property ->
                    expectedFields.put(property.getKey(), expected(property.getValue(), decoded.getSchema().getField(property.getKey()).schema())));
            if (!actualFields.equals(expectedFields)) {
                mismatches.add(record.json() + " decoded as " + actualFields + ", expected " + expectedFields);
            }
        }

        assertThat(mismatches).isEmpty();
        assertThat(records).extracting(GeneratedRecord::topic).containsAll(ALL);
    }

    @Test
    void clickTimestampIsTheEventTimeInEpochMillis()
            throws IOException
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS));
        GeneratedRecord click = dataset.nextClick(T0 + 123);

        byte[] value = encoding.encode(click);

        GenericRecord decoded = decode(value, registry.schemaById(schemaIdOf(value)));
        assertThat(decoded.get("timestamp")).isEqualTo(T0 + 123);
        assertThat(decoded.get("user_id").toString()).isEqualTo(click.key());
    }

    @Test
    void registersEachAvroTopicUnderItsValueSubject()
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.PRODUCTS, PersonalizationTopics.CLICKSTREAMS));

        assertThat(encoding.schemaIds()).containsOnlyKeys(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.PRODUCTS);
        assertThat(registry.subjects()).containsExactly("clickstreams-value", "products-value");
        encoding.schemaIds().forEach((topic, id) -> {
            assertThat(registry.idsOf(topic + "-value")).containsExactly(id);
            assertThat(registry.schemaById(id)).isEqualTo(PersonalizationAvroSchemas.of(topic));
        });
        assertThat(encoding.schemaIds().get(PersonalizationTopics.CLICKSTREAMS)).isNotEqualTo(encoding.schemaIds().get(PersonalizationTopics.PRODUCTS));
    }

    @Test
    void wireHeaderIsMagicZeroThenTheIdBigEndian()
    {
        InMemorySchemaRegistry bigIds = new InMemorySchemaRegistry(0x01020304);
        bigIds.register("someone-else-value", Schema.create(Schema.Type.STRING));
        AvroValueEncoding encoding = AvroValueEncoding.register(bigIds, Set.of(PersonalizationTopics.PRODUCTS));

        byte[] value = encoding.encode(dataset.products().get(0));

        assertThat(encoding.schemaIds()).containsEntry(PersonalizationTopics.PRODUCTS, 0x01020305);
        assertThat(value).startsWith(0, 1, 2, 3, 5);
    }

    @Test
    void otherTopicsStayByteIdenticalJson()
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS));

        Stream.of(dataset.userProfiles().get(3), dataset.products().get(4), dataset.purchaseHistory().get(0)).forEach(record -> {
            byte[] expected = record.json().getBytes(StandardCharsets.UTF_8);
            assertThat(encoding.encode(record)).isEqualTo(expected);
            assertThat(ValueEncoding.json().encode(record)).isEqualTo(expected);
        });
    }

    @Test
    void nonAsciiTextSurvivesAsUtf8()
            throws IOException
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, ALL);
        GeneratedRecord record = new GeneratedRecord(PersonalizationTopics.PRODUCTS, "prod_1",
                new Product("prod_1", "Zoë's \"Café\" 😀", "home", "kitchen", "Brand", 9.99, 4.5, List.of("ñ"), true).toJson(), T0);

        GenericRecord decoded = decode(encoding.encode(record), PersonalizationAvroSchemas.of(PersonalizationTopics.PRODUCTS));

        assertThat(decoded.get("name").toString()).isEqualTo("Zoë's \"Café\" 😀");
        assertThat(normalized(decoded.get("tags"))).isEqualTo(List.of("ñ"));
    }

    @Test
    void fieldTheSchemaLacksFailsNamingTopicAndField()
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, ALL);
        String json = dataset.nextClick(T0).json().replace("}", ",\"coupon_code\":\"SAVE10\"}");

        assertThatThrownBy(() -> encoding.encode(new GeneratedRecord(PersonalizationTopics.CLICKSTREAMS, "user_00000001", json, T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clickstreams")
                .hasMessageContaining("coupon_code");
    }

    @Test
    void missingOrMistypedFieldFailsNamingTopicAndField()
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, ALL);
        String profile = dataset.userProfiles().get(0).json();

        assertThatThrownBy(() -> encoding.encode(new GeneratedRecord(PersonalizationTopics.USER_PROFILES, "k",
                profile.replaceFirst("\"email\":\"[^\"]*\",", ""), T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user_profiles")
                .hasMessageContaining("'email' is missing");
        assertThatThrownBy(() -> encoding.encode(new GeneratedRecord(PersonalizationTopics.USER_PROFILES, "k",
                profile.replaceFirst("\"total_orders\":\\d+", "\"total_orders\":2.5"), T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user_profiles")
                .hasMessageContaining("'total_orders' must be an integer");
        assertThatThrownBy(() -> encoding.encode(new GeneratedRecord(PersonalizationTopics.USER_PROFILES, "k",
                profile.replaceFirst("\"signup_date\":\"[^\"]*\"", "\"signup_date\":\"last year\""), T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'signup_date' must be a yyyy-MM-dd date");
    }

    @Test
    void subMillisecondInstantIsRefusedRatherThanTruncated()
    {
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, ALL);
        String json = dataset.nextClick(T0).json().replace(Instant.ofEpochMilli(T0).toString(), "2025-07-05T14:30:00.000001Z");

        assertThatThrownBy(() -> encoding.encode(new GeneratedRecord(PersonalizationTopics.CLICKSTREAMS, "k", json, T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'timestamp' must be an ISO-8601 instant with at most millisecond precision");
    }

    @Test
    void registeringATopicWithoutSchemaFails()
    {
        assertThatThrownBy(() -> AvroValueEncoding.register(registry, Set.of("clickstreams", "orders")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders");
    }

    static int schemaIdOf(byte[] value)
    {
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    static GenericRecord decode(byte[] value, Schema schema)
            throws IOException
    {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
        assertThat(decoder.isEnd()).as("no bytes after the record").isTrue();
        return record;
    }

    /** Avro's decoded value with {@code Utf8} as {@code String} and arrays as lists. */
    private static Object normalized(Object avro)
    {
        if (avro instanceof CharSequence text) {
            return text.toString();
        }
        if (avro instanceof Collection<?> values) {
            return values.stream().map(TestAvroValueEncoding::normalized).toList();
        }
        return avro;
    }

    /** What Avro should hold for a JSON value, derived independently of the encoder. */
    private static Object expected(JsonNode json, Schema schema)
    {
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return Instant.parse(json.textValue()).toEpochMilli();
        }
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            return (int) LocalDate.parse(json.textValue()).toEpochDay();
        }
        return switch (schema.getType()) {
            case STRING -> json.textValue();
            case LONG -> json.longValue();
            case DOUBLE -> json.doubleValue();
            case BOOLEAN -> json.booleanValue();
            case ARRAY -> {
                List<Object> values = new ArrayList<>();
                json.forEach(element -> values.add(expected(element, schema.getElementType())));
                yield values;
            }
            default -> throw new AssertionError("unexpected type in a personalization schema: " + schema);
        };
    }
}
