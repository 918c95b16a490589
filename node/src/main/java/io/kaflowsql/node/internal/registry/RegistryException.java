package io.kaflowsql.node.internal.registry;

import java.util.List;

/**
 * An error answer of the registry: the HTTP status, Confluent's {@code error_code} and a message
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html#errors). Thrown by the
 * store and the router, turned into {@code {"error_code":...,"message":...}} by the HTTP handler.
 */
final class RegistryException
        extends RuntimeException
{
    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message)
    {
        this(status, errorCode, message, null);
    }

    RegistryException(int status, int errorCode, String message, Throwable cause)
    {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status()
    {
        return status;
    }

    int errorCode()
    {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject)
    {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(int version)
    {
        return new RegistryException(404, 40402, "Version " + version + " not found.");
    }

    static RegistryException schemaNotFound()
    {
        return new RegistryException(404, 40403, "Schema not found");
    }

    static RegistryException schemaNotFound(int id)
    {
        return new RegistryException(404, 40403, "Schema " + id + " not found");
    }

    static RegistryException subjectLevelNotConfigured(String subject)
    {
        return new RegistryException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String subject, List<String> messages)
    {
        return new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + messages);
    }

    static RegistryException invalidSchema(String detail)
    {
        return new RegistryException(422, 42201, "Invalid schema " + detail);
    }

    static RegistryException invalidVersion(String version)
    {
        return new RegistryException(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level)
    {
        return new RegistryException(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are " + CompatibilityLevel.VALID_VALUES);
    }

    static RegistryException unprocessable(String message)
    {
        return new RegistryException(422, 422, message);
    }

    static RegistryException notFound()
    {
        return new RegistryException(404, 404, "HTTP 404 Not Found");
    }

    static RegistryException methodNotAllowed()
    {
        return new RegistryException(405, 405, "HTTP 405 Method Not Allowed");
    }

    static RegistryException storeFailure(String what, Throwable cause)
    {
        return new RegistryException(500, 50001, "Error in the backend data store: " + what, cause);
    }
}
