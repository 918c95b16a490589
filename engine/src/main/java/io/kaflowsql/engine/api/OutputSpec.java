package io.kaflowsql.engine.api;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where and how results are written.
 *
 * @param key output column whose value keys (and so partitions) each record; empty for null keys
 * @param schema an explicit output schema (Avro JSON) instead of the one derived from the query
 */
public record OutputSpec(String topic, OutputFormat format, Optional<String> key, Optional<String> schema)
{
    public OutputSpec
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(format, "format is null");
        requireNonNull(key, "key is null");
        requireNonNull(schema, "schema is null");
    }

    public OutputSpec withFormat(OutputFormat newFormat)
    {
        return new OutputSpec(topic, newFormat, key, schema);
    }
}
