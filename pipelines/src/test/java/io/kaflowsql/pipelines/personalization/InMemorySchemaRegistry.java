package io.kaflowsql.pipelines.personalization;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schema registry for tests: {@link #register} gives each distinct schema a global id (counting up
 * from a non-trivial first id, 101 by default, so a test cannot pass by reading zeros) and records it
 * under the subject, like
 * Confluent's registry does; {@link #schemaById} reads it back. Everything else is unsupported.
 * Thread-safe.
 */
final class InMemorySchemaRegistry
        implements SchemaRegistryClient
{
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new LinkedHashMap<>();
    private final int firstId;

    InMemorySchemaRegistry()
    {
        this(101);
    }

    InMemorySchemaRegistry(int firstId)
    {
        this.firstId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema)
    {
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
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new IllegalArgumentException("no schema with id " + id);
        }
        return schema;
    }

    @Override
    public synchronized List<String> subjects()
    {
        return List.copyOf(idsBySubject.keySet());
    }

    /** The ids registered under {@code subject}, oldest first. */
    synchronized List<Integer> idsOf(String subject)
    {
        return List.copyOf(idsBySubject.getOrDefault(subject, List.of()));
    }

    @Override
    public RegisteredSchema latest(String subject)
    {
        throw new UnsupportedOperationException();
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
        throw new UnsupportedOperationException();
    }

    @Override
    public String compatibilityLevel(Optional<String> subject)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibilityLevel(Optional<String> subject, String level)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> versions(String subject)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
}
