package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroRowDecoderTest
{
    static final Schema CLICK_V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Click", "namespace": "test", "fields": [
              {"name": "event_id", "type": "string"},
              {"name": "user_id", "type": ["null", "string"], "default": null},
              {"name": "event_type", "type": {"type": "enum", "name": "EventType", "symbols": ["page_view", "search", "purchase"]}},
              {"name": "timestamp", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "product_id", "type": ["null", "string"], "default": null},
              {"name": "session_id", "type": "string"},
              {"name": "page_url", "type": "string"},
              {"name": "device", "type": {"type": "record", "name": "Device", "fields": [
                 {"name": "kind", "type": "string"}, {"name": "screen", "type": "int"}]}},
              {"name": "location", "type": {"type": "map", "values": "double"}},
              {"name": "ignored", "type": {"type": "array", "items": "float"}}
            ]}""");
    /** An evolved writer: fields reordered, one dropped, one added. */
    static final Schema CLICK_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Click", "namespace": "test", "fields": [
              {"name": "user_id", "type": ["null", "string"], "default": null},
              {"name": "event_id", "type": "string"},
              {"name": "event_type", "type": "string"},
              {"name": "referrer", "type": ["null", "string"], "default": null}
            ]}""");

    private final CompiledPipeline seed = new PipelineLoader().load(Path.of("../pipelines/personalization/pipeline.yaml"));
    private final SourcePlan clicks = seed.plan().driving();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void decodesTheColumnsTheQueryReadsIntoTheEngineValueModel()
            throws RecordDecodeException
    {
        int id = registry.register("clickstreams-value", CLICK_V1);
        Object[] row = new AvroRowDecoder(clicks, registry).decode(wire(id, clickV1("e-1", "u-ü")));

        assertThat(value(row, "event_id")).isEqualTo("e-1");
        assertThat(value(row, "user_id")).isEqualTo("u-ü");
        assertThat(value(row, "event_type")).isEqualTo("page_view");
        assertThat(value(row, "timestamp")).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(value(row, "product_id")).isNull();
        assertThat(value(row, "device")).isEqualTo(Map.of("kind", "mobile", "screen", 6L));
        assertThat(value(row, "location")).isEqualTo(Map.of("lat", 52.5));
        assertThat(Arrays.asList(row)).doesNotContain(List.of(1.5));
    }

    @Test
    void aNewWriterSchemaIdIsMappedByFieldName()
            throws RecordDecodeException
    {
        RowDecoder decoder = new AvroRowDecoder(clicks, registry);
        int v1 = registry.register("clickstreams-value", CLICK_V1);
        int v2 = registry.register("clickstreams-value", CLICK_V2);
        GenericRecord evolved = new GenericData.Record(CLICK_V2);
        evolved.put("user_id", "u-2");
        evolved.put("event_id", "e-2");
        evolved.put("event_type", "search");

        Object[] first = decoder.decode(wire(v1, clickV1("e-1", "u-1")));
        Object[] second = decoder.decode(wire(v2, evolved));

        assertThat(value(first, "event_id")).isEqualTo("e-1");
        assertThat(value(second, "event_id")).isEqualTo("e-2");
        assertThat(value(second, "user_id")).isEqualTo("u-2");
        assertThat(value(second, "timestamp")).isNull();
    }

    @Test
    void badRecordsAreDecodeErrorsButAnUnreachableRegistryIsNot()
    {
        int id = registry.register("clickstreams-value", CLICK_V1);
        AvroRowDecoder decoder = new AvroRowDecoder(clicks, registry);
        byte[] good = wire(id, clickV1("e-1", "u-1"));

        assertThatThrownBy(() -> decoder.decode(wire(99, clickV1("e-1", "u-1"))))
                .isInstanceOf(RecordDecodeException.class).hasMessage("schema id 99 is not in the schema registry");
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(RecordDecodeException.class).hasMessageStartingWith("invalid Avro body for schema id " + id);
        assertThatThrownBy(() -> decoder.decode(Arrays.copyOf(good, good.length + 2)))
                .isInstanceOf(RecordDecodeException.class).hasMessage("unexpected bytes after the Avro record of schema id " + id);
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 1}))
                .isInstanceOf(RecordDecodeException.class).hasMessageContaining("not in the Confluent Avro wire format");
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(RecordDecodeException.class);

        registry.setUnavailable(true);
        assertThatThrownBy(() -> new AvroRowDecoder(clicks, registry).decode(good))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isUnavailable()).isTrue());
    }

    @Test
    void inputFormatIsDetectedPerRecordSoJsonAndAvroMix()
            throws RecordDecodeException
    {
        int id = registry.register("clickstreams-value", CLICK_V1);
        RowDecoder decoder = new InputDecoders(Optional.of(registry)).forSource(clicks);

        Object[] avro = decoder.decode(wire(id, clickV1("e-avro", "u-1")));
        Object[] json = decoder.decode("{\"event_id\": \"e-json\", \"user_id\": \"u-1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(value(avro, "event_id")).isEqualTo("e-avro");
        assertThat(value(json, "event_id")).isEqualTo("e-json");
        assertThatThrownBy(() -> InputDecoders.JSON_ONLY.forSource(clicks).decode(wire(id, clickV1("e-1", "u-1"))))
                .isInstanceOf(RecordDecodeException.class)
                .hasMessage("the record is Avro (Confluent wire format) but no schema-registry is configured");
        assertThatThrownBy(() -> decoder.decode("not json".getBytes(StandardCharsets.UTF_8))).isInstanceOf(RecordDecodeException.class);
    }

    @Test
    void logicalTypesBytesAndUnionsConvertLikeJsonSourcesCarryThem()
    {
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
                  {"name": "raw", "type": "bytes"},
                  {"name": "choice", "type": ["null", "long", "string"]},
                  {"name": "flag", "type": "boolean"}
                ]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("micros", 1_705_314_600_123_456L);
        record.put("day", 19_737);
        record.put("amount", ByteBuffer.wrap(new java.math.BigDecimal("12.34").unscaledValue().toByteArray()));
        record.put("raw", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        record.put("choice", 7L);
        record.put("flag", true);

        assertThat(convert(record, "micros")).isEqualTo("2024-01-15T10:30:00.123456Z");
        assertThat(convert(record, "day")).isEqualTo("2024-01-15");
        assertThat(convert(record, "amount")).isEqualTo(12.34);
        assertThat(convert(record, "raw")).isEqualTo("AQID");
        assertThat(convert(record, "choice")).isEqualTo(7L);
        assertThat(convert(record, "flag")).isEqualTo(true);
    }

    private static Object convert(GenericRecord record, String field)
    {
        return AvroValues.toEngine(record.get(field), record.getSchema().getField(field).schema());
    }

    private Object value(Object[] row, String column)
    {
        return row[clicks.slotOf(column)];
    }

    static GenericRecord clickV1(String eventId, String userId)
    {
        GenericRecord device = new GenericData.Record(CLICK_V1.getField("device").schema());
        device.put("kind", "mobile");
        device.put("screen", 6);
        GenericRecord click = new GenericData.Record(CLICK_V1);
        click.put("event_id", eventId);
        click.put("user_id", userId);
        click.put("event_type", new GenericData.EnumSymbol(CLICK_V1.getField("event_type").schema(), "page_view"));
        click.put("timestamp", 1_705_314_600_000L);
        click.put("session_id", "s-1");
        click.put("page_url", "/p/1");
        click.put("device", device);
        click.put("location", Map.of("lat", 52.5));
        click.put("ignored", List.of(1.5f));
        return click;
    }

    static byte[] wire(int schemaId, GenericRecord record)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(schemaId).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
