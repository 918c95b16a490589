package io.kaflowsql.engine.api.registry;

import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import io.kaflowsql.engine.internal.registry.HttpSchemaRegistryClient;
import org.apache.avro.Schema;

import java.util.List;
import java.util.Optional;

/**
 * The part of the Confluent Schema Registry REST API that Avro serializers and deployers use
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html). Subjects follow the
 * TopicNameStrategy ({@code <topic>-value}) where we choose them. Only Avro schemas.
 *
 * <p>Every method throws {@link SchemaRegistryException} on an error answer (with the registry's error
 * code) or when the registry stays unreachable after the configured retries.
 *
 * <p>Implementations are thread-safe.
 */
public interface SchemaRegistryClient
        extends AutoCloseable
{
    /** The HTTP client (JDK HttpClient; retries, caching, basic auth, TLS as the settings say). */
    static SchemaRegistryClient connect(SchemaRegistrySettings settings)
    {
        return new HttpSchemaRegistryClient(settings);
    }

    /** {@code POST /subjects/{subject}/versions}: registers (or finds) the schema; returns its global id. */
    int register(String subject, Schema schema);

    /** {@code GET /schemas/ids/{id}}: the writer schema of a wire-format record. Cached forever (ids are immutable). */
    Schema schemaById(int id);

    /** {@code GET /subjects/{subject}/versions/latest}. */
    RegisteredSchema latest(String subject);

    /** {@code GET /subjects/{subject}/versions/{version}}. */
    RegisteredSchema version(String subject, int version);

    /** {@code POST /subjects/{subject}}: the registered version equal to {@code schema}, if any. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /**
     * {@code POST /compatibility/subjects/{subject}/versions/latest?verbose=true}: whether {@code schema}
     * may be registered next; compatible when the subject has no version yet.
     */
    CompatibilityResult testCompatibility(String subject, Schema schema);

    /** {@code GET /config} (global) or {@code GET /config/{subject}?defaultToGlobal=true}, e.g. {@code BACKWARD}. */
    String compatibilityLevel(Optional<String> subject);

    /** {@code PUT /config} or {@code PUT /config/{subject}}. */
    void setCompatibilityLevel(Optional<String> subject, String level);

    /** {@code GET /subjects}. */
    List<String> subjects();

    /** {@code GET /subjects/{subject}/versions}. */
    List<Integer> versions(String subject);

    @Override
    void close();

    /** A schema as registered under a subject. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}

    /** The registry's answer to a compatibility test; {@code messages} say why not (verbose mode). */
    record CompatibilityResult(boolean compatible, List<String> messages)
    {
        public CompatibilityResult
        {
            messages = List.copyOf(messages);
        }
    }
}
