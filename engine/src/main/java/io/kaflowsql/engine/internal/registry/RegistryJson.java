package io.kaflowsql.engine.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON bodies of the Confluent Schema Registry REST API v1: request bodies out, answers in.
 *
 * <p>Answers are read leniently (unknown fields such as {@code references}, {@code metadata} or
 * {@code schemaType: AVRO} are ignored) but a field we need that is missing or of the wrong type is a
 * {@link SchemaRegistryException}: an answer we cannot use is an error answer of the registry.
 *
 * <p>Stateless and thread-safe (an {@link ObjectMapper} is thread-safe once configured).
 */
final class RegistryJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RegistryJson() {}

    /** An error body {@code {"error_code": N, "message": "..."}}. */
    record RegistryError(int errorCode, String message) {}

    /** {@code {"subject": ..., "version": N, "id": N, "schema": "..."}}; the schema is still text. */
    record SubjectVersion(String subject, int version, int id, String schema) {}

    /** {@code {"schema": "<schema JSON as a string>"}}; {@code schemaType} is omitted, AVRO is the default. */
    static String schemaRequest(Schema schema)
    {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    /** {@code {"compatibility": "<level>"}}, the body of {@code PUT /config}. */
    static String compatibilityRequest(String level)
    {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("compatibility", level);
        return body.toString();
    }

    /** The error body of a non-2xx answer, if it is one. */
    static Optional<RegistryError> error(String body)
    {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        }
        catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (node == null || !node.path("error_code").canConvertToInt() || !node.path("error_code").isIntegralNumber()) {
            return Optional.empty();
        }
        String message = node.path("message").isTextual() ? node.path("message").asText() : body;
        return Optional.of(new RegistryError(node.path("error_code").intValue(), message));
    }

    static int id(RegistryAnswer answer)
    {
        return intField(answer, answer.json(), "id");
    }

    static String schemaText(RegistryAnswer answer)
    {
        return textField(answer, answer.json(), "schema");
    }

    static SubjectVersion subjectVersion(RegistryAnswer answer)
    {
        JsonNode node = answer.json();
        return new SubjectVersion(textField(answer, node, "subject"), intField(answer, node, "version"),
                intField(answer, node, "id"), textField(answer, node, "schema"));
    }

    /** {@code {"is_compatible": bool, "messages": [...]}}; {@code messages} only in verbose mode. */
    static SchemaRegistryClient.CompatibilityResult compatibility(RegistryAnswer answer)
    {
        JsonNode node = answer.json();
        JsonNode compatible = node.path("is_compatible");
        if (!compatible.isBoolean()) {
            throw answer.invalid("no boolean field 'is_compatible'");
        }
        List<String> messages = new ArrayList<>();
        node.path("messages").forEach(message -> messages.add(message.asText()));
        return new SchemaRegistryClient.CompatibilityResult(compatible.booleanValue(), messages);
    }

    /** {@code GET /config} answers {@code compatibilityLevel}; {@code PUT /config} answers {@code compatibility}. */
    static String compatibilityLevel(RegistryAnswer answer)
    {
        JsonNode node = answer.json();
        JsonNode level = node.has("compatibilityLevel") ? node.path("compatibilityLevel") : node.path("compatibility");
        if (!level.isTextual()) {
            throw answer.invalid("no text field 'compatibilityLevel'");
        }
        return level.asText();
    }

    static List<String> stringList(RegistryAnswer answer)
    {
        JsonNode node = answer.json();
        if (!node.isArray()) {
            throw answer.invalid("not a JSON array");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                throw answer.invalid("array element is not a string: " + value);
            }
            values.add(value.asText());
        }
        return List.copyOf(values);
    }

    static List<Integer> intList(RegistryAnswer answer)
    {
        JsonNode node = answer.json();
        if (!node.isArray()) {
            throw answer.invalid("not a JSON array");
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw answer.invalid("array element is not an int: " + value);
            }
            values.add(value.intValue());
        }
        return List.copyOf(values);
    }

    static JsonNode parse(RegistryAnswer answer)
    {
        try {
            JsonNode node = MAPPER.readTree(answer.body());
            if (node == null || node.isMissingNode()) {
                throw answer.invalid("empty body");
            }
            return node;
        }
        catch (JsonProcessingException e) {
            throw answer.invalid("not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static int intField(RegistryAnswer answer, JsonNode node, String field)
    {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw answer.invalid("no int field '" + field + "'");
        }
        return value.intValue();
    }

    private static String textField(RegistryAnswer answer, JsonNode node, String field)
    {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw answer.invalid("no text field '" + field + "'");
        }
        return value.asText();
    }
}
