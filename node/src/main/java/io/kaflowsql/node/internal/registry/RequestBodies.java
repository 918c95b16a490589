package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

import static io.kaflowsql.node.internal.registry.RegistryRecord.JSON;

/**
 * Reads the JSON request bodies of the registry API. Unknown fields are ignored, as Confluent's
 * registry does; broken JSON is a 400, a body of the wrong shape a 422, never a server error.
 *
 * <p>Thread-safe (stateless).
 */
final class RequestBodies
{
    /** The {@code schema} of a schema request ({@code {"schema": "...", "schemaType": "AVRO"}}). */
    String schema(byte[] body)
    {
        JsonNode request = object(body);
        JsonNode type = request.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw RegistryException.invalidSchema("type " + type + ": this (embedded) registry supports AVRO schemas only");
        }
        JsonNode references = request.get("references");
        if (references != null && !references.isNull() && !references.isEmpty()) {
            throw RegistryException.invalidSchema("references: this (embedded) registry does not support schema references");
        }
        JsonNode schema = request.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryException.invalidSchema("(missing): the request needs a \"schema\" string holding the Avro schema as JSON text");
        }
        return schema.asText();
    }

    /** The level of a config request ({@code {"compatibility": "FULL"}}; {@code compatibilityLevel} is accepted too). */
    CompatibilityLevel compatibilityLevel(byte[] body)
    {
        JsonNode request = object(body);
        JsonNode level = request.hasNonNull("compatibility") ? request.get("compatibility") : request.get("compatibilityLevel");
        String name = level == null || level.isNull() ? "" : level.asText();
        return CompatibilityLevel.parse(name).orElseThrow(() -> RegistryException.invalidCompatibilityLevel(name));
    }

    private static JsonNode object(byte[] body)
    {
        if (body.length == 0) {
            throw RegistryException.unprocessable("The request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        }
        catch (JacksonException e) {
            throw new RegistryException(400, 400, "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        catch (IOException e) {
            throw new RegistryException(400, 400, "The request body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RegistryException.unprocessable("The request body must be a JSON object");
        }
        return node;
    }
}
