package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static java.util.Objects.requireNonNull;

/**
 * A schema registered under a subject as a version, with its global id; {@code deleted} once the
 * version was soft-deleted. {@code schema} is the canonical text (Avro's {@code Schema.toString()} of
 * the parsed schema), which is also how identical schemas are recognised.
 *
 * <p>Key {@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}}, value
 * {@code {"subject":"s","version":1,"id":1,"schema":"...","deleted":false}}.
 */
record SchemaRecord(String subject, int version, int id, String schema, boolean deleted)
        implements RegistryRecord
{
    SchemaRecord
    {
        requireNonNull(subject, "subject is null");
        requireNonNull(schema, "schema is null");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        if (id < 1) {
            throw new IllegalArgumentException("id must be positive: " + id);
        }
    }

    SchemaRecord asDeleted()
    {
        return new SchemaRecord(subject, version, id, schema, true);
    }

    @Override
    public String key()
    {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "SCHEMA");
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", 1);
        return RegistryRecord.write(key);
    }

    @Override
    public String value()
    {
        ObjectNode value = JSON.createObjectNode();
        value.put("subject", subject);
        value.put("version", version);
        value.put("id", id);
        value.put("schema", schema);
        value.put("deleted", deleted);
        return RegistryRecord.write(value);
    }

    static SchemaRecord decode(JsonNode value)
    {
        JsonNode subject = value.get("subject");
        JsonNode schema = value.get("schema");
        if (subject == null || !subject.isTextual() || schema == null || !schema.isTextual()
                || !value.path("version").canConvertToInt() || !value.path("id").canConvertToInt()) {
            throw new IllegalArgumentException("schema record needs subject, version, id and schema: " + value);
        }
        return new SchemaRecord(subject.asText(), value.get("version").asInt(), value.get("id").asInt(), schema.asText(),
                value.path("deleted").asBoolean(false));
    }
}
