package io.kaflowsql.chaos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the pipeline's JSON output values as Jackson trees, so values are compared field by field
 * regardless of field order. Thread-safe (the mapper is only read from).
 */
final class OutputValues
{
    static final String EVENT_ID = "event_id";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OutputValues() {}

    static JsonNode parse(String json)
    {
        try {
            return MAPPER.readTree(json);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("output value is not JSON: " + json, e);
        }
    }

    /** The {@code event_id} of an output value, which identifies the click it enriches. */
    static String eventId(JsonNode value)
    {
        JsonNode id = value.get(EVENT_ID);
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("output value has no textual " + EVENT_ID + ": " + value);
        }
        return id.asText();
    }
}
