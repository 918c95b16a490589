package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.core.JsonProcessingException;

import static java.util.Objects.requireNonNull;

/** An answer of the registry: HTTP status and JSON body. */
record RegistryResponse(int status, String body)
{
    RegistryResponse
    {
        requireNonNull(body, "body is null");
    }

    /** 200 with {@code value} (a Jackson tree, list, map, ...) as JSON. */
    static RegistryResponse ok(Object value)
    {
        return new RegistryResponse(200, json(value));
    }

    /** 200 with a body that already is JSON text (a raw schema). */
    static RegistryResponse raw(String json)
    {
        return new RegistryResponse(200, json);
    }

    static RegistryResponse error(RegistryException error)
    {
        var node = RegistryRecord.JSON.createObjectNode();
        node.put("error_code", error.errorCode());
        node.put("message", error.getMessage());
        return new RegistryResponse(error.status(), json(node));
    }

    private static String json(Object value)
    {
        try {
            return RegistryRecord.JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON of " + value.getClass().getName(), e);
        }
    }
}
