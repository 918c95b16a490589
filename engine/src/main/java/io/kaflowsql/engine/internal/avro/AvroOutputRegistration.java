package io.kaflowsql.engine.internal.avro;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient.CompatibilityResult;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import org.apache.avro.Schema;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Registers a pipeline's Avro output schema under {@code <topic>-value} (Confluent's TopicNameStrategy)
 * when the pipeline is deployed. Columns passed through from Avro sources take their types from the
 * sources' latest registered schemas (see {@link AvroSchemaDeriver}). The registry decides compatibility with what is already registered
 * there: an incompatible schema is refused with the registry's reasons, never silently replaced by an
 * older one. Registering an already registered schema returns its existing id.
 */
public final class AvroOutputRegistration
{
    private AvroOutputRegistration() {}

    /** The output schema as registered. */
    public record RegisteredOutput(String subject, Schema schema, int schemaId)
    {
        public RegisteredOutput
        {
            requireNonNull(subject, "subject is null");
            requireNonNull(schema, "schema is null");
        }
    }

    public static String subjectOf(CompiledPipeline pipeline)
    {
        return pipeline.definition().output().topic() + "-value";
    }

    /**
     * @throws IncompatibleOutputSchemaException when the registry refuses the schema as incompatible
     * @throws SchemaRegistryException when the registry cannot be reached or answers another error
     */
    public static RegisteredOutput register(CompiledPipeline pipeline, SchemaRegistryClient registry)
    {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(registry, "registry is null");
        Schema schema = AvroSchemaDeriver.schemaOf(pipeline, topic -> latestValueSchema(registry, topic));
        String subject = subjectOf(pipeline);
        CompatibilityResult compatibility = registry.testCompatibility(subject, schema);
        if (!compatibility.compatible()) {
            throw incompatible(pipeline, subject, String.join("; ", compatibility.messages()));
        }
        try {
            return new RegisteredOutput(subject, schema, registry.register(subject, schema));
        }
        catch (SchemaRegistryException e) {
            if (e.isIncompatible()) {
                throw incompatible(pipeline, subject, e.getMessage());
            }
            throw e;
        }
    }

    /** The latest schema under {@code <topic>-value}; empty for a topic without one (JSON). */
    private static Optional<Schema> latestValueSchema(SchemaRegistryClient registry, String topic)
    {
        try {
            return Optional.of(registry.latest(topic + "-value").schema());
        }
        catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static IncompatibleOutputSchemaException incompatible(CompiledPipeline pipeline, String subject, String reasons)
    {
        return new IncompatibleOutputSchemaException("pipeline " + pipeline.name() + ": its Avro output schema is incompatible with the schema "
                + "registered under subject '" + subject + "'" + (reasons.isBlank() ? "" : " (" + reasons + ")")
                + ". Change the query so the output stays compatible (e.g. new columns nullable), give a compatible output.schema, "
                + "or change the subject's compatibility level in the registry.");
    }

    /** The registry refused the output schema: a deploy-time error the user must act on. */
    public static final class IncompatibleOutputSchemaException
            extends RuntimeException
    {
        IncompatibleOutputSchemaException(String message)
        {
            super(message);
        }
    }
}
