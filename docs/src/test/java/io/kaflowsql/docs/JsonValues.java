package io.kaflowsql.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** JSON helpers: parsing, and equality that treats {@code 3} as 3 whatever integer width Jackson picked. */
final class JsonValues
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonValues() {}

    static JsonNode parse(String json)
    {
        try {
            return MAPPER.readTree(json);
        }
        catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static JsonNode tree(Object value)
    {
        return MAPPER.valueToTree(value);
    }

    static String write(Object value)
    {
        try {
            return MAPPER.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Equal values; integers equal integers, floating-point numbers equal floating-point numbers (1 is not 1.0). */
    static boolean same(JsonNode expected, JsonNode actual)
    {
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.isIntegralNumber() != actual.isIntegralNumber()) {
                return false;
            }
            return expected.isIntegralNumber() ? expected.bigIntegerValue().equals(actual.bigIntegerValue())
                    : expected.doubleValue() == actual.doubleValue();
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!same(expected.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                if (!actual.has(field.getKey()) || !same(field.getValue(), actual.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }
}
