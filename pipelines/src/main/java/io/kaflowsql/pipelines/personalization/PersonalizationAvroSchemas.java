package io.kaflowsql.pipelines.personalization;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaBuilder.FieldAssembler;

import static java.util.Objects.requireNonNull;

/**
 * The Avro value schemas of the personalization input topics, field for field the JSON that
 * {@link ClickEvent}, {@link UserProfile}, {@link Product} and {@link PurchaseHistory} write, in the
 * same order, so a topic can carry either format and a query reads the same values:
 * <ul>
 *   <li>JSON strings are {@code string}; integers {@code long}; decimals {@code double}; booleans
 *       {@code boolean}; lists {@code array<string>};</li>
 *   <li>ISO-8601 instants ({@code clickstreams.timestamp}, {@code purchase_history.last_purchase_date})
 *       are {@code timestamp-millis} longs, and the {@code yyyy-MM-dd} {@code user_profiles.signup_date}
 *       is a {@code date} int: the engine's Avro decoder turns both back into the same text the JSON
 *       carries.</li>
 * </ul>
 * The generator writes every field of every record and never {@code null}, so no field is a union
 * with {@code null}; should it ever omit a field, that field becomes {@code ["null", T]} with
 * default {@code null} here (and {@link AvroValueEncoding} already handles such unions).
 *
 * <p>Each call builds a new schema, so callers may not corrupt each other's copy. Thread-safe.
 */
public final class PersonalizationAvroSchemas
{
    public static final String NAMESPACE = "io.kaflowsql.personalization";

    private PersonalizationAvroSchemas() {}

    /**
     * The value schema of {@code topic}, one of {@link PersonalizationTopics#INPUTS}.
     *
     * @throws IllegalArgumentException for any other topic
     */
    public static Schema of(String topic)
    {
        requireNonNull(topic, "topic is null");
        return switch (topic) {
            case PersonalizationTopics.CLICKSTREAMS -> clickstreams();
            case PersonalizationTopics.USER_PROFILES -> userProfiles();
            case PersonalizationTopics.PRODUCTS -> products();
            case PersonalizationTopics.PURCHASE_HISTORY -> purchaseHistory();
            default -> throw new IllegalArgumentException("no Avro schema for topic '" + topic + "'; known topics: " + PersonalizationTopics.INPUTS);
        };
    }

    private static Schema clickstreams()
    {
        return record("ClickEvent", "A user interaction; the driving stream, keyed by user_id.")
                .name("event_id").type(string()).noDefault()
                .name("user_id").type(string()).noDefault()
                .name("session_id").type(string()).noDefault()
                .name("event_type").type(string()).noDefault()
                .name("page_url").type(string()).noDefault()
                .name("product_id").type(string()).noDefault()
                .name("timestamp").type(timestampMillis()).noDefault()
                .name("referrer").type(string()).noDefault()
                .name("device").type(string()).noDefault()
                .name("location").type(string()).noDefault()
                .endRecord();
    }

    private static Schema userProfiles()
    {
        return record("UserProfile", "User demographics and preferences, keyed by user_id.")
                .name("user_id").type(string()).noDefault()
                .name("email").type(string()).noDefault()
                .name("subscription_tier").type(string()).noDefault()
                .name("age_group").type(string()).noDefault()
                .name("location").type(string()).noDefault()
                .name("preferences").type(stringArray()).noDefault()
                .name("signup_date").type(date()).noDefault()
                .name("total_orders").type(Schema.create(Schema.Type.LONG)).noDefault()
                .name("lifetime_value").type(Schema.create(Schema.Type.DOUBLE)).noDefault()
                .endRecord();
    }

    private static Schema products()
    {
        return record("Product", "A catalog entry, keyed by product_id.")
                .name("product_id").type(string()).noDefault()
                .name("name").type(string()).noDefault()
                .name("category").type(string()).noDefault()
                .name("subcategory").type(string()).noDefault()
                .name("brand").type(string()).noDefault()
                .name("price").type(Schema.create(Schema.Type.DOUBLE)).noDefault()
                .name("rating").type(Schema.create(Schema.Type.DOUBLE)).noDefault()
                .name("tags").type(stringArray()).noDefault()
                .name("in_stock").type(Schema.create(Schema.Type.BOOLEAN)).noDefault()
                .endRecord();
    }

    private static Schema purchaseHistory()
    {
        return record("PurchaseHistory", "A user's purchase pattern, keyed by user_id.")
                .name("user_id").type(string()).noDefault()
                .name("last_purchase_date").type(timestampMillis()).noDefault()
                .name("last_category").type(string()).noDefault()
                .name("avg_order_value").type(Schema.create(Schema.Type.DOUBLE)).noDefault()
                .name("purchase_frequency").type(string()).noDefault()
                .name("favorite_brands").type(stringArray()).noDefault()
                .endRecord();
    }

    private static FieldAssembler<Schema> record(String name, String doc)
    {
        return SchemaBuilder.record(name).namespace(NAMESPACE).doc(doc).fields();
    }

    private static Schema string()
    {
        return Schema.create(Schema.Type.STRING);
    }

    private static Schema stringArray()
    {
        return Schema.createArray(string());
    }

    private static Schema timestampMillis()
    {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }

    private static Schema date()
    {
        return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    }
}
