package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The compatibility level of a subject, or the global one when {@code subject} is empty; an empty
 * {@code level} removes a subject's own level (a tombstone), so the global one applies again.
 *
 * <p>Key {@code {"keytype":"CONFIG","subject":null,"magic":0}}, value {@code {"compatibilityLevel":"BACKWARD"}}.
 */
record ConfigRecord(Optional<String> subject, Optional<CompatibilityLevel> level)
        implements RegistryRecord
{
    ConfigRecord
    {
        requireNonNull(subject, "subject is null");
        requireNonNull(level, "level is null");
    }

    @Override
    public String key()
    {
        ObjectNode key = JSON.createObjectNode();
        key.put("keytype", "CONFIG");
        if (subject.isPresent()) {
            key.put("subject", subject.get());
        }
        else {
            key.putNull("subject");
        }
        key.put("magic", 0);
        return RegistryRecord.write(key);
    }

    @Override
    public String value()
    {
        if (level.isEmpty()) {
            return null;
        }
        ObjectNode value = JSON.createObjectNode();
        value.put("compatibilityLevel", level.get().name());
        return RegistryRecord.write(value);
    }

    static ConfigRecord decode(JsonNode key, JsonNode value)
    {
        JsonNode subject = key.get("subject");
        Optional<String> subjectName = subject == null || subject.isNull() ? Optional.empty() : Optional.of(subject.asText());
        if (value == null) {
            return new ConfigRecord(subjectName, Optional.empty());
        }
        String levelName = value.path("compatibilityLevel").asText(null);
        CompatibilityLevel level = CompatibilityLevel.parse(levelName)
                .orElseThrow(() -> new IllegalArgumentException("config record has no valid compatibilityLevel: " + value));
        return new ConfigRecord(subjectName, Optional.of(level));
    }
}
