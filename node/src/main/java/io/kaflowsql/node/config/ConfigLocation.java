package io.kaflowsql.node.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a configuration value came from, rendered as the prefix of an error message:
 * {@code config.yaml:7:3}, {@code environment variable LOG_LEVEL} or {@code option --http-port}.
 */
record ConfigLocation(String text)
{
    ConfigLocation
    {
        requireNonNull(text, "text is null");
    }

    /** {@code line} and {@code column} are 1-based. */
    static ConfigLocation inFile(String file, int line, int column)
    {
        return new ConfigLocation(file + ":" + line + ":" + column);
    }

    static ConfigLocation environment(String variable)
    {
        return new ConfigLocation("environment variable " + variable);
    }

    static ConfigLocation option(String name)
    {
        return new ConfigLocation("option " + name);
    }

    ConfigException error(String message)
    {
        return new ConfigException(text + ": " + message);
    }
}
