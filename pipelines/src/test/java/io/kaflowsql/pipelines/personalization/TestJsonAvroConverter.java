package io.kaflowsql.pipelines.personalization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestJsonAvroConverter
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Shapes the personalization schemas do not use yet: nullable fields, defaults, nested records, ints. */
    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Order", "namespace": "test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "coupon", "type": ["null", "string"], "default": null},
              {"name": "shipped_at", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": null},
              {"name": "quantity", "type": "int", "default": 1},
              {"name": "weight", "type": "float"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "lines", "type": {"type": "array", "items": "string"}}
              ]}}
            ]}
            """);

    private final JsonAvroConverter converter = new JsonAvroConverter("orders", SCHEMA);

    @Test
    void fillsUnionsNestedRecordsAndDefaults()
            throws Exception
    {
        GenericData.Record record = converter.toRecord(json("""
                {"id": "o1", "coupon": "SAVE", "shipped_at": "2025-07-05T14:30:00.250Z", "weight": 1.5,
                 "address": {"city": "Lyon", "lines": ["1 rue", "2e"]}}"""));

        assertThat(record.get("coupon")).isEqualTo("SAVE");
        assertThat(record.get("shipped_at")).isEqualTo(Instant.parse("2025-07-05T14:30:00.250Z").toEpochMilli());
        assertThat(record.get("quantity")).isEqualTo(1);
        assertThat(record.get("weight")).isEqualTo(1.5f);
        GenericData.Record address = (GenericData.Record) record.get("address");
        assertThat(address.get("city")).isEqualTo("Lyon");
        assertThat(address.get("lines")).isEqualTo(List.of("1 rue", "2e"));
        assertThat(GenericData.get().validate(SCHEMA, record)).isTrue();
    }

    @Test
    void jsonNullAndAbsentFieldTakeTheNullBranch()
            throws Exception
    {
        GenericData.Record record = converter.toRecord(json("""
                {"id": "o2", "shipped_at": null, "weight": 2, "address": {"city": "Oslo", "lines": []}}"""));

        assertThat(record.get("coupon")).isNull();
        assertThat(record.get("shipped_at")).isNull();
        assertThat(record.get("weight")).isEqualTo(2.0f);
        assertThat(GenericData.get().validate(SCHEMA, record)).isTrue();
    }

    @Test
    void errorsNameTheNestedFieldPath()
    {
        assertThatThrownBy(() -> converter.toRecord(json("""
                {"id": "o3", "weight": 1, "address": {"city": "Rome", "lines": ["ok", 7]}}""")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic orders: field 'address.lines[1]' must be a string");
        assertThatThrownBy(() -> converter.toRecord(json("""
                {"id": "o3", "weight": 1, "address": {"city": "Rome", "lines": [], "zip": "00100"}}""")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'address.zip' is not in Avro schema test.Address");
        assertThatThrownBy(() -> converter.toRecord(json("""
                {"id": null, "weight": 1, "address": {"city": "Rome", "lines": []}}""")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'id' must be a string");
    }

    @Test
    void intOutOfRangeIsRefused()
    {
        assertThatThrownBy(() -> converter.toRecord(json("""
                {"id": "o4", "quantity": 3000000000, "weight": 1, "address": {"city": "Rome", "lines": []}}""")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'quantity' must be an integer in [-2147483648, 2147483647]");
    }

    private static JsonNode json(String text)
            throws Exception
    {
        return MAPPER.readTree(text);
    }
}
