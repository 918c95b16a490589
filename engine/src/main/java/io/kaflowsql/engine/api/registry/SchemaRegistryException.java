package io.kaflowsql.engine.api.registry;

/**
 * An error answer of the schema registry, or no answer at all.
 *
 * <p>{@code errorCode} is the registry's own code from the JSON error body ({@code 40401} subject not
 * found, {@code 40402} version not found, {@code 40403} schema not found, {@code 409} incompatible,
 * {@code 42201} invalid schema, {@code 42202} invalid version, {@code 50001} store error...), or
 * {@link #UNREACHABLE} when no HTTP answer arrived after the retries.
 */
public final class SchemaRegistryException
        extends RuntimeException
{
    public static final int UNREACHABLE = -1;
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause)
    {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or {@link #UNREACHABLE}. */
    public int httpStatus()
    {
        return httpStatus;
    }

    public int errorCode()
    {
        return errorCode;
    }

    /** No answer, or a server-side failure (5xx): worth retrying later, not a fault of the request. */
    public boolean isUnavailable()
    {
        return httpStatus == UNREACHABLE || httpStatus >= 500 || httpStatus == 429;
    }

    public boolean isNotFound()
    {
        return httpStatus == 404;
    }

    public boolean isIncompatible()
    {
        return errorCode == INCOMPATIBLE_SCHEMA;
    }
}
