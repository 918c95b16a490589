package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.config.ConfigurationException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSchemaDeriverTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");

    static CompiledPipeline pipeline(String query, String schemaJson)
    {
        String text = "name: 9-orders.enriched\n"
                + "query: |\n  " + query.replace("\n", "\n  ") + "\n"
                + "output:\n  topic: out\n  format: avro\n"
                + (schemaJson == null ? "" : "  schema: '" + schemaJson.replace("'", "''") + "'\n");
        return new PipelineLoader().load(text, "test.yaml");
    }

    @Test
    void seedPipelineSchemaFollowsTheStaticTypesOfItsColumns()
    {
        Schema schema = AvroSchemaDeriver.schemaOf(new PipelineLoader().load(SEED));

        assertThat(schema.getType()).isEqualTo(Schema.Type.RECORD);
        assertThat(schema.getName()).isEqualTo("personalization_engine");
        assertThat(schema.getNamespace()).isEqualTo("io.kaflowsql.output");
        assertThat(schema.getFields()).extracting(Schema.Field::name)
                .startsWith("event_id", "user_id", "session_id", "event_type", "page_url", "timestamp")
                .endsWith("category_affinity", "price_sensitivity", "personalization_tier")
                .hasSize(30);
        // pass-through columns of schema-less JSON sources are ANY: nullable strings, default null
        for (String name : List.of("event_id", "timestamp", "product_price", "product_tags")) {
            Schema.Field field = schema.getField(name);
            assertThat(field.schema().getTypes()).extracting(Schema::getType).containsExactly(Schema.Type.NULL, Schema.Type.STRING);
            assertThat(field.hasDefaultValue()).isTrue();
            assertThat(field.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        }
        // CASE over decimal literals: DOUBLE, never NULL (every branch and ELSE are literals)
        assertThat(schema.getField("category_affinity").schema().getType()).isEqualTo(Schema.Type.DOUBLE);
        assertThat(schema.getField("price_sensitivity").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.getField("personalization_tier").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void computedColumnsGetTheirSqlTypesAndNullability()
    {
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline(
                "SELECT o.id, CAST(o.n AS BIGINT) AS n, o.n * 1.5 AS d, o.n > 1 AS b, CARDINALITY(o.tags) AS c, 'x' AS lit FROM orders o", null));

        assertThat(schema.getName()).isEqualTo("_9_orders_enriched");
        assertThat(nonNull(schema.getField("n").schema())).isEqualTo(Schema.Type.LONG);
        assertThat(nonNull(schema.getField("d").schema())).isEqualTo(Schema.Type.DOUBLE);
        assertThat(nonNull(schema.getField("b").schema())).isEqualTo(Schema.Type.BOOLEAN);
        assertThat(nonNull(schema.getField("c").schema())).isEqualTo(Schema.Type.LONG);
        assertThat(schema.getField("lit").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    private static Schema.Type nonNull(Schema schema)
    {
        if (schema.getType() != Schema.Type.UNION) {
            return schema.getType();
        }
        return schema.getTypes().stream().map(Schema::getType).filter(type -> type != Schema.Type.NULL).findFirst().orElseThrow();
    }

    @Test
    void selectStarNeedsAnExplicitSchema()
    {
        assertThatThrownBy(() -> pipeline("SELECT * FROM orders", null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("test.yaml:6:11: output.format: output format avro: the query uses SELECT *")
                .hasMessageContaining("SELECT *")
                .hasMessageContaining("output.schema");
    }

    @Test
    void explicitSchemaWithCompatibleFieldsIsUsedAsGiven()
    {
        String json = """
                {"type": "record", "name": "Out", "namespace": "my.ns", "fields": [
                  {"name": "id", "type": ["null", "string"], "default": null},
                  {"name": "price", "type": ["null", "double"], "default": null},
                  {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
                  {"name": "tags", "type": ["null", {"type": "array", "items": "string"}], "default": null},
                  {"name": "label", "type": {"type": "enum", "name": "Label", "symbols": ["x", "y"]}}
                ]}""";
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline("SELECT o.id, o.price, o.ts, o.tags, 'x' AS label FROM orders o", json));

        assertThat(schema.getFullName()).isEqualTo("my.ns.Out");
        assertThat(schema).isEqualTo(new Schema.Parser().parse(json));
    }

    @Test
    void explicitSchemaMissingAColumnIsRejectedNamingIt()
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [{"name": "id", "type": ["null", "string"]}]}""";
        assertThatThrownBy(() -> pipeline("SELECT o.id, o.x FROM orders o", json))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("output.schema: field 'x' missing for output column x");
    }

    @Test
    void explicitSchemaWithAnIncompatibleTypeIsRejected()
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [{"name": "flag", "type": ["null", "long"]}]}""";
        assertThatThrownBy(() -> pipeline("SELECT o.a > 1 AS flag FROM orders o", json))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("output.schema: field 'flag' is [null, long], incompatible with output column flag of type BOOLEAN");
    }

    @Test
    void explicitSchemaMayRequireAValueForANullableColumn()
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [{"name": "id", "type": "string"}]}""";
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline("SELECT o.id FROM orders o", json));

        assertThat(schema.getField("id").schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @Test
    void explicitSchemaWithAnExtraFieldOrUnsupportedTypeOrBadJsonIsRejected()
    {
        assertThatThrownBy(() -> pipeline("SELECT o.id FROM orders o", """
                {"type": "record", "name": "Out", "fields": [{"name": "id", "type": ["null", "string"]}, {"name": "z", "type": ["null", "string"]}]}"""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("output.schema: field 'z' is not an output column of the query");
        assertThatThrownBy(() -> pipeline("SELECT o.id FROM orders o", """
                {"type": "record", "name": "Out", "fields": [{"name": "id", "type": ["null", "bytes"]}]}"""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("output.schema: field 'id' has unsupported type bytes");
        assertThatThrownBy(() -> pipeline("SELECT o.id FROM orders o", "{\"type\": \"record\""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("output.schema: not a valid Avro schema");
        assertThatThrownBy(() -> pipeline("SELECT o.id FROM orders o", "\"string\""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("output.schema: must be an Avro record, got string");
    }
}
