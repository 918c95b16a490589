package io.kaflowsql.engine.internal.state;

import static java.util.Objects.requireNonNull;

/**
 * A key of one joined source: what a pending record waits for.
 *
 * @param source index of the joined source in the query (1..255)
 * @param key the join value
 */
public record LookupKey(int source, String key)
{
    public LookupKey
    {
        if (source < 0 || source > 255) {
            throw new IllegalArgumentException("source must be in [0, 255]: " + source);
        }
        requireNonNull(key, "key is null");
    }
}
