package io.kaflowsql.protocol;

import java.util.Locale;

/**
 * A versioned format: something one KaflowSQL node writes and another (possibly of the adjacent version) reads.
 * Each carries its version where it is stored ({@link FormatVersions} lists what this build reads and writes).
 */
public enum Format
{
    /** {@code checkpoint.properties} of a task checkpoint ({@code format.version}). */
    CHECKPOINT("checkpoint manifest"),
    /** A record of a pipeline's changelog topic (the Kafka header {@code kaflowsql.v}). */
    CHANGELOG("changelog record"),
    /** A record of the pipeline catalog topic ({@code format_version}). */
    CATALOG("catalog record"),
    /** The assignment record in the Hazelcast assignment map ({@code version}). */
    ASSIGNMENT("assignment record"),
    /** The node-to-node state-transfer gRPC protocol ({@code protocol_version} of every message). */
    PROTOCOL("state-transfer protocol");

    private final String description;

    Format(String description)
    {
        this.description = description;
    }

    /** What it is, for messages ("changelog record"). */
    public String description()
    {
        return description;
    }

    /** The name used in member attributes, the admin API and logs ("changelog"). */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format named {@link #key()}; empty for a name this build does not know (a newer node's format). */
    public static java.util.Optional<Format> ofKey(String key)
    {
        for (Format format : values()) {
            if (format.key().equals(key)) {
                return java.util.Optional.of(format);
            }
        }
        return java.util.Optional.empty();
    }
}
