package io.kaflowsql.node.config;

/**
 * The node configuration is invalid: a bad YAML file, an unknown or mistyped key, a bad value in an
 * environment variable or on the command line. The message is meant for the user as is: it starts
 * with where the problem is ({@code config.yaml:7:3:}, {@code environment variable LOG_LEVEL:},
 * {@code option --http-port:}), names the dotted key and says how to fix it.
 */
public final class ConfigException
        extends RuntimeException
{
    public ConfigException(String message)
    {
        super(message);
    }

    public ConfigException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
