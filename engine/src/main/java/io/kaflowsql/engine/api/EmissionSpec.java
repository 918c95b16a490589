package io.kaflowsql.engine.api;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * When a driving record's result is emitted.
 *
 * @param type {@link Type#IMMEDIATE}: at once, NULLs for missed lookups (ANSI LEFT JOIN);
 *        {@link Type#SMART}: held until every {@code require}d output column is non-NULL
 * @param require output column names that must be non-NULL before a smart emission
 * @param onTimeout what happens to a held record whose TTL passes while still incomplete
 */
public record EmissionSpec(Type type, List<String> require, OnTimeout onTimeout)
{
    public enum Type
    {
        IMMEDIATE, SMART
    }

    public enum OnTimeout
    {
        /** Drop the held record (counted). The default. */
        DROP,
        /** Emit it with the lookups it has, NULLs for the rest (counted). */
        EMIT
    }

    public static final EmissionSpec DEFAULT = new EmissionSpec(Type.IMMEDIATE, List.of(), OnTimeout.DROP);

    public EmissionSpec
    {
        requireNonNull(type, "type is null");
        require = List.copyOf(requireNonNull(require, "require is null"));
        requireNonNull(onTimeout, "onTimeout is null");
    }

    public boolean isSmart()
    {
        return type == Type.SMART;
    }
}
