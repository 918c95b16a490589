package io.kaflowsql.node.config;

import static java.util.Objects.requireNonNull;

/**
 * One scalar setting before it is converted to its type: the text (variables already substituted),
 * its dotted key ({@code http.port}) and where it came from, so a bad value is reported precisely.
 */
record ConfigValue(String key, String text, ConfigLocation location)
{
    ConfigValue
    {
        requireNonNull(key, "key is null");
        requireNonNull(text, "text is null");
        requireNonNull(location, "location is null");
    }

    ConfigException invalid(String expectation)
    {
        return location.error("'" + key + "' " + expectation + ", got '" + text + "'");
    }
}
