package io.kaflowsql.engine.api;

import java.util.Locale;
import java.util.Optional;

/** Serialization of a pipeline's output records. */
public enum OutputFormat
{
    JSON, AVRO;

    public static Optional<OutputFormat> parse(String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "avro" -> Optional.of(AVRO);
            default -> Optional.empty();
        };
    }

    public String yamlName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
