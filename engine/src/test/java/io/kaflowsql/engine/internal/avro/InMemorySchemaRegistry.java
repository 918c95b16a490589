package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Our registry interface kept in memory, for unit tests of what uses it (the HTTP client is tested
 * against the Confluent API examples, the embedded server in the node module). Compatibility is not
 * checked. {@link #unavailable} makes every call fail as an unreachable registry does.
 */
final class InMemorySchemaRegistry
        implements SchemaRegistryClient
{
    final AtomicBoolean unavailable = new AtomicBoolean();
    /** Subjects whose compatibility test fails, as a registry refusing an incompatible change. */
    final java.util.Set<String> incompatibleSubjects = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema)
    {
        check();
        int id = byId.entrySet().stream().filter(entry -> entry.getValue().equals(schema)).map(Map.Entry::getKey).findFirst()
                .orElseGet(() -> {
                    int next = byId.size() + 1;
                    byId.put(next, schema);
                    return next;
                });
        List<Integer> versions = subjects.computeIfAbsent(subject, key -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public Schema schemaById(int id)
    {
        check();
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found", null);
        }
        return schema;
    }

    @Override
    public RegisteredSchema latest(String subject)
    {
        check();
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.", null);
        }
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, versions.size(), id, byId.get(id));
    }

    @Override
    public RegisteredSchema version(String subject, int version)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema)
    {
        check();
        if (incompatibleSubjects.contains(subject)) {
            return new CompatibilityResult(false, List.of("READER_FIELD_MISSING_DEFAULT_VALUE: new_column"));
        }
        return new CompatibilityResult(true, List.of());
    }

    @Override
    public String compatibilityLevel(Optional<String> subject)
    {
        return "NONE";
    }

    @Override
    public void setCompatibilityLevel(Optional<String> subject, String level)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> subjects()
    {
        return List.copyOf(subjects.keySet());
    }

    @Override
    public List<Integer> versions(String subject)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}

    private void check()
    {
        if (unavailable.get()) {
            throw new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE, "connection refused", null);
        }
    }
}
