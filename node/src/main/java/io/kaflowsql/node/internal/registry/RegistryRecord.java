package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * One record of the registry's {@code _schemas} topic, in the layout of Confluent's registry: a JSON
 * key naming what the record is about ({@code keytype} plus subject, version) and a JSON value with
 * the new state, or no value (a tombstone) when the state is removed. The topic is compacted, so the
 * latest record of each key is the state; the key bytes of one subject and version must therefore
 * always be the same, which the fixed field order here guarantees.
 */
sealed interface RegistryRecord
        permits SchemaRecord, ConfigRecord
{
    ObjectMapper JSON = new ObjectMapper();

    /** The record key, JSON. */
    String key();

    /** The record value, JSON, or null for a tombstone. */
    String value();

    /**
     * Decodes a record read from the topic. Empty for record kinds this registry does not act on
     * (Confluent's {@code NOOP}, {@code DELETE_SUBJECT}, ... and hard-delete tombstones).
     *
     * @throws IllegalArgumentException when the key or value is not what its key type requires
     */
    static Optional<RegistryRecord> decode(String key, String value)
    {
        JsonNode keyNode = parse(key, "key");
        String keyType = keyNode.path("keytype").asText("");
        return switch (keyType) {
            case "SCHEMA" -> value == null ? Optional.empty() : Optional.of(SchemaRecord.decode(parse(value, "value")));
            case "CONFIG" -> Optional.of(ConfigRecord.decode(keyNode, value == null ? null : parse(value, "value")));
            default -> Optional.empty();
        };
    }

    static String write(ObjectNode node)
    {
        try {
            return JSON.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of a tree", e);
        }
    }

    private static JsonNode parse(String json, String what)
    {
        if (json == null) {
            throw new IllegalArgumentException("record " + what + " is missing");
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("record " + what + " is not a JSON object: " + json);
            }
            return node;
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record " + what + " is not JSON: " + json, e);
        }
    }
}
