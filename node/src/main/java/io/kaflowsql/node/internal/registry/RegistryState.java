package io.kaflowsql.node.internal.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The registry's content in memory, built by applying {@link RegistryRecord}s in the order of the
 * {@code _schemas} topic: subjects with their versions (soft-deleted ones kept, because their version
 * numbers are never reused), schemas by global id, and compatibility levels.
 *
 * <p>Not thread-safe: {@link SchemaStore} confines it behind its lock.
 */
final class RegistryState
{
    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);

    private final Map<String, TreeMap<Integer, SchemaRecord>> subjects = new TreeMap<>();
    private final Map<Integer, CanonicalSchema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
    private int maxId;

    /**
     * Applies one record.
     *
     * @throws IllegalArgumentException when a schema record holds text that is not a valid Avro schema
     */
    void apply(RegistryRecord record)
    {
        requireNonNull(record, "record is null");
        if (record instanceof SchemaRecord schema) {
            applySchema(schema);
        }
        else if (record instanceof ConfigRecord config) {
            applyConfig(config);
        }
    }

    private void applySchema(SchemaRecord record)
    {
        CanonicalSchema known = schemasById.get(record.id());
        if (known == null) {
            known = CanonicalSchema.parse(record.schema());
            schemasById.put(record.id(), known);
            idsByText.putIfAbsent(known.text(), record.id());
            maxId = Math.max(maxId, record.id());
        }
        else if (!known.text().equals(record.schema()) && !known.text().equals(CanonicalSchema.parse(record.schema()).text())) {
            log.warn("Schema record of subject {} version {} reuses id {} for a different schema; keeping the first schema of that id",
                    record.subject(), record.version(), record.id());
        }
        // Versions hold the canonical text, so a topic written by another registry (other spacing) still matches on re-registration.
        SchemaRecord version = new SchemaRecord(record.subject(), record.version(), record.id(), known.text(), record.deleted());
        subjects.computeIfAbsent(record.subject(), subject -> new TreeMap<>()).put(record.version(), version);
    }

    private void applyConfig(ConfigRecord record)
    {
        if (record.subject().isEmpty()) {
            globalLevel = record.level().orElse(CompatibilityLevel.DEFAULT);
        }
        else if (record.level().isPresent()) {
            subjectLevels.put(record.subject().get(), record.level().get());
        }
        else {
            subjectLevels.remove(record.subject().get());
        }
    }

    /** Subjects with at least one version that is not deleted, sorted. */
    List<String> subjects()
    {
        return subjects.keySet().stream().filter(subject -> !liveVersions(subject).isEmpty()).toList();
    }

    /** The versions of {@code subject} that are not deleted, oldest first; empty for an unknown subject. */
    List<SchemaRecord> liveVersions(String subject)
    {
        return subjects.getOrDefault(subject, new TreeMap<>()).values().stream().filter(version -> !version.deleted()).toList();
    }

    /** The number the next version of {@code subject} gets: one above every version it ever had. */
    int nextVersion(String subject)
    {
        TreeMap<Integer, SchemaRecord> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    Optional<CanonicalSchema> schema(int id)
    {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The id of a schema with this canonical text under any subject, or the next free id. */
    int idFor(CanonicalSchema schema)
    {
        Integer id = idsByText.get(schema.text());
        return id != null ? id : maxId + 1;
    }

    /** Subjects with a live version of schema {@code id}, sorted. */
    List<String> subjectsOf(int id)
    {
        List<String> result = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (versions.values().stream().anyMatch(version -> version.id() == id && !version.deleted())) {
                result.add(subject);
            }
        });
        return result;
    }

    CompatibilityLevel globalLevel()
    {
        return globalLevel;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject)
    {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel effectiveLevel(String subject)
    {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    int schemaCount()
    {
        return schemasById.size();
    }
}
