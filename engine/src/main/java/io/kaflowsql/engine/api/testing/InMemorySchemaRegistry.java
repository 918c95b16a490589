package io.kaflowsql.engine.api.testing;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A schema registry in memory, for tests of Avro pipelines with {@link PipelineTestDriver} and for
 * benchmarks (like Confluent's mock registry client): ids are global and reused for an equal schema,
 * versions per subject, errors as a real registry's ({@code 40401}, {@code 40402}, {@code 40403}).
 * Compatibility is not checked: everything is compatible unless a test calls {@link #refuseAsIncompatible};
 * {@link #setUnavailable} makes every call fail as an unreachable registry does.
 *
 * <p>Thread-safe.
 */
public final class InMemorySchemaRegistry
        implements SchemaRegistryClient
{
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();
    private final Set<String> incompatibleSubjects = new HashSet<>();
    private final Map<String, String> levels = new HashMap<>();
    private final int firstId;
    private volatile boolean unavailable;

    public InMemorySchemaRegistry()
    {
        this(1);
    }

    /** @param firstId the id of the first registered schema (then consecutive) */
    public InMemorySchemaRegistry(int firstId)
    {
        this.firstId = firstId;
    }

    public void setUnavailable(boolean unavailable)
    {
        this.unavailable = unavailable;
    }

    /** Compatibility tests of {@code subject} fail from now on, as after an incompatible change. */
    public synchronized void refuseAsIncompatible(String subject)
    {
        incompatibleSubjects.add(subject);
    }

    /** The ids registered under {@code subject}, oldest first. */
    public synchronized List<Integer> idsOf(String subject)
    {
        return List.copyOf(idsBySubject.getOrDefault(subject, List.of()));
    }

    @Override
    public synchronized int register(String subject, Schema schema)
    {
        check();
        if (incompatibleSubjects.contains(subject)) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"", null);
        }
        int id = idsBySchema.computeIfAbsent(schema, ignored -> firstId + idsBySchema.size());
        schemasById.put(id, schema);
        List<Integer> versions = idsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id)
    {
        check();
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found", null);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject)
    {
        return version(subject, versionsOf(subject).size());
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version)
    {
        List<Integer> versions = versionsOf(subject);
        if (version < 1 || version > versions.size()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.", null);
        }
        int id = versions.get(version - 1);
        return new RegisteredSchema(subject, version, id, schemasById.get(id));
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema)
    {
        check();
        List<Integer> versions = idsBySubject.getOrDefault(subject, List.of());
        Integer id = idsBySchema.get(schema);
        return id == null || !versions.contains(id) ? Optional.empty()
                : Optional.of(new RegisteredSchema(subject, versions.indexOf(id) + 1, id, schema));
    }

    @Override
    public synchronized CompatibilityResult testCompatibility(String subject, Schema schema)
    {
        check();
        if (incompatibleSubjects.contains(subject)) {
            return new CompatibilityResult(false, List.of("refused by the test (refuseAsIncompatible)"));
        }
        return new CompatibilityResult(true, List.of());
    }

    @Override
    public synchronized String compatibilityLevel(Optional<String> subject)
    {
        check();
        return subject.map(levels::get).orElse(levels.getOrDefault("", "BACKWARD"));
    }

    @Override
    public synchronized void setCompatibilityLevel(Optional<String> subject, String level)
    {
        check();
        levels.put(subject.orElse(""), level);
    }

    @Override
    public synchronized List<String> subjects()
    {
        check();
        return List.copyOf(idsBySubject.keySet());
    }

    @Override
    public synchronized List<Integer> versions(String subject)
    {
        List<Integer> versions = new ArrayList<>();
        for (int i = 1; i <= versionsOf(subject).size(); i++) {
            versions.add(i);
        }
        return versions;
    }

    @Override
    public void close() {}

    private List<Integer> versionsOf(String subject)
    {
        check();
        List<Integer> versions = idsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.", null);
        }
        return versions;
    }

    private void check()
    {
        if (unavailable) {
            throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, "connection refused", null);
        }
    }
}
