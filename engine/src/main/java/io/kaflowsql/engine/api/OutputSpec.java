package io.kaflowsql.engine.api;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where and how results are written, and where records that cannot be processed go.
 *
 * @param key output column whose value keys (and so partitions) each record; empty for null keys
 * @param schema an explicit output schema (Avro JSON) instead of the one derived from the query
 * @param deadLetterTopic the topic of rejected records with their error headers; {@code <topic>-dlq}
 *         unless configured ({@code output.dead_letter_topic})
 */
public record OutputSpec(String topic, OutputFormat format, Optional<String> key, Optional<String> schema, String deadLetterTopic)
{
    /** Suffix of the default dead-letter topic: {@code <topic>-dlq}. */
    public static final String DEAD_LETTER_SUFFIX = "-dlq";

    public OutputSpec
    {
        requireNonNull(topic, "topic is null");
        requireNonNull(format, "format is null");
        requireNonNull(key, "key is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        if (deadLetterTopic.equals(topic)) {
            throw new IllegalArgumentException("the dead-letter topic must differ from the output topic " + topic);
        }
    }

    /** An output whose dead letters go to the default {@code <topic>-dlq}. */
    public OutputSpec(String topic, OutputFormat format, Optional<String> key, Optional<String> schema)
    {
        this(topic, format, key, schema, defaultDeadLetterTopic(topic));
    }

    public static String defaultDeadLetterTopic(String topic)
    {
        return requireNonNull(topic, "topic is null") + DEAD_LETTER_SUFFIX;
    }

    public OutputSpec withFormat(OutputFormat newFormat)
    {
        return new OutputSpec(topic, newFormat, key, schema, deadLetterTopic);
    }

    public OutputSpec withDeadLetterTopic(String newDeadLetterTopic)
    {
        return new OutputSpec(topic, format, key, schema, newDeadLetterTopic);
    }
}
