package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.internal.operator.OutputEncodingException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.internal.avro.AvroSchemaDeriverTest.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroOutputEncoderTest
{
    private static final int SCHEMA_ID = 0x01020304;

    @Test
    void seedPipelineRowsRoundTripThroughTheStandardAvroReader()
            throws IOException
    {
        CompiledPipeline seed = new PipelineLoader().load(Path.of("../pipelines/personalization/pipeline.yaml"));
        Schema schema = AvroSchemaDeriver.schemaOf(seed);
        AvroOutputEncoder encoder = new AvroOutputEncoder(seed, schema, SCHEMA_ID);
        List<String> names = seed.outputColumnNames();

        Object[] first = new Object[names.size()];
        first[names.indexOf("event_id")] = "e-1";
        first[names.indexOf("user_id")] = "u-ü-1";
        first[names.indexOf("timestamp")] = "2024-01-15T10:30:00Z";
        first[names.indexOf("product_price")] = 19.99;
        first[names.indexOf("user_total_orders")] = 12L;
        first[names.indexOf("product_tags")] = List.of("sale", "new");
        first[names.indexOf("category_affinity")] = 0.9;
        first[names.indexOf("price_sensitivity")] = "medium";
        first[names.indexOf("personalization_tier")] = "standard";
        Object[] second = first.clone();
        second[names.indexOf("event_id")] = "e-2";
        second[names.indexOf("product_tags")] = null;
        second[names.indexOf("category_affinity")] = 0.3;

        GenericRecord one = decode(schema, encoder.encode(new Object[4][], first));
        GenericRecord two = decode(schema, encoder.encode(new Object[4][], second));

        assertThat(one.get("event_id")).hasToString("e-1");
        assertThat(one.get("user_id")).hasToString("u-ü-1");
        assertThat(one.get("timestamp")).hasToString("2024-01-15T10:30:00Z");
        // ANY columns are strings: numbers in their JSON text, arrays as JSON text
        assertThat(one.get("product_price")).hasToString("19.99");
        assertThat(one.get("user_total_orders")).hasToString("12");
        assertThat(one.get("product_tags")).hasToString("[\"sale\",\"new\"]");
        assertThat(one.get("category_affinity")).isEqualTo(0.9);
        assertThat(one.get("price_sensitivity")).hasToString("medium");
        assertThat(one.get("product_name")).isNull();
        assertThat(two.get("event_id")).hasToString("e-2");
        assertThat(two.get("product_tags")).isNull();
        assertThat(two.get("category_affinity")).isEqualTo(0.3);
    }

    @Test
    void explicitSchemaConvertsValuesToTheDeclaredTypes()
            throws IOException
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "price", "type": ["null", "double"], "default": null},
                  {"name": "qty", "type": ["null", "int"], "default": null},
                  {"name": "total", "type": ["null", "string", "long"], "default": null},
                  {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
                  {"name": "tags", "type": ["null", {"type": "array", "items": ["null", "string"]}], "default": null},
                  {"name": "attrs", "type": ["null", {"type": "map", "values": ["null", "long", "string"]}], "default": null},
                  {"name": "ok", "type": ["null", "boolean"], "default": null},
                  {"name": "label", "type": {"type": "enum", "name": "Label", "symbols": ["low", "high"]}}
                ]}""";
        CompiledPipeline pipeline = pipeline("SELECT 'k' || o.id AS id, o.price, o.qty, o.total, o.ts, o.tags, o.attrs, o.ok, 'high' AS label FROM orders o", json);
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline);
        AvroOutputEncoder encoder = new AvroOutputEncoder(pipeline, schema, SCHEMA_ID);
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("n", 3L);
        attrs.put("s", "x");
        attrs.put("z", null);

        GenericRecord record = decode(schema, encoder.encode(new Object[1][],
                new Object[] {"k1", 20L, 7L, 123L, "2024-01-15T10:30:00.250Z", Arrays.asList("a", null), attrs, true, "high"}));

        assertThat(record.get("id")).hasToString("k1");
        assertThat(record.get("price")).isEqualTo(20.0);
        assertThat(record.get("qty")).isEqualTo(7);
        assertThat(record.get("total")).isEqualTo(123L);
        assertThat(record.get("ts")).isEqualTo(1705314600250L);
        assertThat(record.get("tags")).asList().map(String::valueOf).containsExactly("a", "null");
        assertThat(((List<?>) record.get("tags")).get(1)).isNull();
        Map<String, Object> decodedAttrs = new LinkedHashMap<>();
        ((Map<?, ?>) record.get("attrs")).forEach((key, value) -> decodedAttrs.put(key.toString(), value == null ? null : value.toString()));
        assertThat(decodedAttrs).containsEntry("n", "3").containsEntry("s", "x").containsEntry("z", null).hasSize(3);
        assertThat(record.get("ok")).isEqualTo(true);
        assertThat(record.get("label")).hasToString("high");
    }

    @Test
    void aValueThatDoesNotFitTheSchemaThrowsOutputEncodingExceptionNamingTheField()
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [
                  {"name": "price", "type": ["null", "double"], "default": null},
                  {"name": "qty", "type": ["null", "int"], "default": null},
                  {"name": "ts", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
                  {"name": "label", "type": {"type": "enum", "name": "Label", "symbols": ["low", "high"]}}
                ]}""";
        CompiledPipeline pipeline = pipeline("SELECT o.price, o.qty, o.ts, o.label FROM orders o", json);
        AvroOutputEncoder encoder = new AvroOutputEncoder(pipeline, AvroSchemaDeriver.schemaOf(pipeline), SCHEMA_ID);

        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {"cheap", null, null, "low"}))
                .isInstanceOf(OutputEncodingException.class)
                .hasMessage("Avro output field 'price': a string value does not fit Avro union");
        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {1.0, 1L << 40, null, "low"}))
                .isInstanceOf(OutputEncodingException.class)
                .hasMessageStartingWith("Avro output field 'qty'");
        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {1.0, 1L, "yesterday", "low"}))
                .isInstanceOf(OutputEncodingException.class)
                .hasMessageStartingWith("Avro output field 'ts'");
        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {1.0, 1L, null, "medium"}))
                .isInstanceOf(OutputEncodingException.class)
                .hasMessage("Avro output field 'label': 'medium' is not a symbol of Avro enum Label [low, high]");
        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {1.0, 1L, null, null}))
                .isInstanceOf(OutputEncodingException.class)
                .hasMessage("Avro output field 'label': a NULL value does not fit Avro enum Label");
    }

    @Test
    void aFailedRowDoesNotCorruptTheNextOne()
            throws IOException
    {
        CompiledPipeline pipeline = pipeline("SELECT o.id, CAST(o.n AS BIGINT) AS n FROM orders o", null);
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline);
        AvroOutputEncoder encoder = new AvroOutputEncoder(pipeline, schema, SCHEMA_ID);

        assertThatThrownBy(() -> encoder.encode(new Object[1][], new Object[] {"a", "not a number"}))
                .isInstanceOf(OutputEncodingException.class);
        GenericRecord record = decode(schema, encoder.encode(new Object[1][], new Object[] {"b", 5L}));

        assertThat(record.get("id")).hasToString("b");
        assertThat(record.get("n")).isEqualTo(5L);
    }

    @Test
    void selectStarFieldsAreTakenFromTheSourceRecord()
            throws IOException
    {
        String json = """
                {"type": "record", "name": "Out", "fields": [
                  {"name": "id", "type": ["null", "string"], "default": null},
                  {"name": "amount", "type": ["null", "double"], "default": null},
                  {"name": "tag", "type": ["null", "string"], "default": null}
                ]}""";
        CompiledPipeline pipeline = pipeline("SELECT *, 't' AS tag FROM orders o", json);
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline);
        AvroOutputEncoder encoder = new AvroOutputEncoder(pipeline, schema, SCHEMA_ID);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", "o-1");
        fields.put("amount", 12.5);
        fields.put("tag", "from source");
        Object[] row = new Object[pipeline.plan().driving().columns().size() + 1];
        row[row.length - 1] = fields;

        GenericRecord record = decode(schema, encoder.encode(new Object[][] {row}, new Object[] {null, "t"}));

        assertThat(record.get("id")).hasToString("o-1");
        assertThat(record.get("amount")).isEqualTo(12.5);
        assertThat(record.get("tag")).hasToString("t");
    }

    /** Checks the Confluent header, then reads the body with the standard Avro reader. */
    private static GenericRecord decode(Schema schema, byte[] bytes)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).isEqualTo((byte) 0);
        assertThat(buffer.getInt()).isEqualTo(SCHEMA_ID);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema, schema, new GenericData());
        var decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        GenericRecord record = reader.read(null, decoder);
        assertThat(decoder.isEnd()).as("the whole body is one record").isTrue();
        return record;
    }

}
