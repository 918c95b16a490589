package io.kaflowsql.engine.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;

import static java.util.Objects.requireNonNull;

/**
 * A 2xx answer of the registry to one request, kept with the request so that an answer we cannot use
 * produces an exception naming the request. Immutable.
 */
record RegistryAnswer(String method, String path, int status, String body)
{
    RegistryAnswer
    {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(body, "body is null");
    }

    JsonNode json()
    {
        return RegistryJson.parse(this);
    }

    /** The answer is a success status with a body we cannot use: report it as the registry's error. */
    SchemaRegistryException invalid(String reason)
    {
        return invalid(reason, null);
    }

    SchemaRegistryException invalid(String reason, Throwable cause)
    {
        String shown = body.length() > 500 ? body.substring(0, 500) + "..." : body;
        return new SchemaRegistryException(status, status,
                "schema registry " + method + " " + path + " answered " + status + " with an unusable body: " + reason + ": " + shown, cause);
    }
}
