package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration.IncompatibleOutputSchemaException;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration.RegisteredOutput;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroOutputRegistrationTest
{
    private static final Schema PRODUCT = new Schema.Parser().parse("""
            {"type": "record", "name": "Product", "namespace": "test", "fields": [
              {"name": "product_id", "type": "string"},
              {"name": "name", "type": "string"},
              {"name": "category", "type": {"type": "enum", "name": "Category", "symbols": ["books", "toys"]}},
              {"name": "price", "type": "double"},
              {"name": "rating", "type": ["null", "float"], "default": null},
              {"name": "tags", "type": {"type": "array", "items": "string"}}
            ]}""");

    private final CompiledPipeline seed = new PipelineLoader().load(Path.of("../pipelines/personalization/pipeline.yaml"));
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void registersUnderTopicValueSubjectAndTypesPassThroughColumnsFromAvroSources()
    {
        registry.register("clickstreams-value", AvroRowDecoderTest.CLICK_V1);
        registry.register("products-value", PRODUCT);

        RegisteredOutput output = AvroOutputRegistration.register(seed, registry);

        assertThat(output.subject()).isEqualTo("personalized_events-value");
        assertThat(registry.latest("personalized_events-value").id()).isEqualTo(output.schemaId());
        Schema schema = output.schema();
        assertThat(nonNull(schema, "timestamp").getLogicalType()).isInstanceOf(LogicalTypes.TimestampMillis.class);
        assertThat(nonNull(schema, "product_price").getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(nonNull(schema, "product_rating").getType()).isEqualTo(Schema.Type.FLOAT);
        assertThat(nonNull(schema, "product_tags").getType()).isEqualTo(Schema.Type.ARRAY);
        // named types (enums, records) become strings: names from several sources could clash
        assertThat(nonNull(schema, "product_category").getType()).isEqualTo(Schema.Type.STRING);
        assertThat(nonNull(schema, "device").getType()).isEqualTo(Schema.Type.STRING);
        // a JSON source (no subject) keeps the schema-less mapping
        assertThat(nonNull(schema, "user_subscription_tier").getType()).isEqualTo(Schema.Type.STRING);
        // every pass-through column is nullable: a LEFT JOIN may miss
        assertThat(schema.getField("event_id").schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
        assertThat(AvroOutputRegistration.register(seed, registry).schemaId()).isEqualTo(output.schemaId());
    }

    @Test
    void anIncompatibleSchemaIsADeployErrorWithTheRegistrysReasons()
    {
        registry.refuseAsIncompatible("personalized_events-value");

        assertThatThrownBy(() -> AvroOutputRegistration.register(seed, registry))
                .isInstanceOf(IncompatibleOutputSchemaException.class)
                .hasMessageContaining("pipeline personalization_engine: its Avro output schema is incompatible with the schema registered "
                        + "under subject 'personalized_events-value'")
                .hasMessageContaining("refused by the test");
        assertThat(registry.subjects()).doesNotContain("personalized_events-value");
    }

    @Test
    void anUnreachableRegistryIsReportedAsSuch()
    {
        registry.setUnavailable(true);

        assertThatThrownBy(() -> AvroOutputRegistration.register(seed, registry))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isUnavailable()).isTrue());
    }

    private static Schema nonNull(Schema record, String field)
    {
        List<Schema> branches = record.getField(field).schema().getTypes();
        assertThat(branches).hasSize(2);
        return branches.get(1);
    }
}
