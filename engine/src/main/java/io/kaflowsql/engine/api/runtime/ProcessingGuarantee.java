package io.kaflowsql.engine.api.runtime;

import java.util.Locale;
import java.util.Optional;

/** What a pipeline promises about its results after a crash (config {@code processing.guarantee}). */
public enum ProcessingGuarantee
{
    /**
     * Results, state changes and input offsets are committed in one Kafka transaction per task: a crash
     * never loses or repeats a result seen by {@code read_committed} readers.
     */
    EXACTLY_ONCE,
    /** Results are acknowledged before input offsets are committed: none is lost, a crash may repeat some. */
    AT_LEAST_ONCE;

    /** The config spelling: {@code exactly_once}, {@code at_least_once}. */
    public String configName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the config spelling (case-insensitive, {@code -} accepted for {@code _}). */
    public static Optional<ProcessingGuarantee> fromConfigName(String text)
    {
        String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ProcessingGuarantee guarantee : values()) {
            if (guarantee.name().equals(normalized)) {
                return Optional.of(guarantee);
            }
        }
        return Optional.empty();
    }
}
