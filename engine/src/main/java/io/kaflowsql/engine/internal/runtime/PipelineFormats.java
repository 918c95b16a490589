package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.internal.avro.AvroOutputEncoder;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration.RegisteredOutput;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.codec.JsonOutputEncoder;
import io.kaflowsql.engine.internal.operator.OutputEncoder;

import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * How a pipeline reads and writes bytes: its input decoders (JSON or Avro, detected per record) and a
 * factory of output encoders (one per task: encoders reuse buffers). For {@code format: avro} the
 * output schema is registered first, so a pipeline whose schema the registry refuses never starts.
 *
 * @param outputSchemaId the registered Avro output schema id; empty for JSON output
 */
record PipelineFormats(InputDecoders inputs, Supplier<OutputEncoder> outputEncoders, Optional<Integer> outputSchemaId)
{
    PipelineFormats
    {
        requireNonNull(inputs, "inputs is null");
        requireNonNull(outputEncoders, "outputEncoders is null");
        requireNonNull(outputSchemaId, "outputSchemaId is null");
    }

    static PipelineFormats prepare(CompiledPipeline pipeline, Optional<SchemaRegistryClient> registry)
    {
        InputDecoders inputs = new InputDecoders(registry);
        if (pipeline.definition().output().format() != OutputFormat.AVRO) {
            return new PipelineFormats(inputs, () -> new JsonOutputEncoder(pipeline.plan())::encode, Optional.empty());
        }
        SchemaRegistryClient client = registry.orElseThrow(() -> new IllegalStateException("pipeline " + pipeline.name()
                + " writes format: avro, which needs a schema registry: set schema-registry.url in the node config "
                + "(or SCHEMA_REGISTRY_URL), or override the output format with --format json"));
        RegisteredOutput output = AvroOutputRegistration.register(pipeline, client);
        return new PipelineFormats(inputs, () -> new AvroOutputEncoder(pipeline, output.schema(), output.schemaId()), Optional.of(output.schemaId()));
    }
}
