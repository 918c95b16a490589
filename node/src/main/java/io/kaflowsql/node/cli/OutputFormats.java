package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.node.config.NodeConfig;

import java.util.List;

/** Checks at start-up what the output formats need, so a node does not start pipelines that cannot write. */
final class OutputFormats
{
    private OutputFormats() {}

    /** Avro output needs a schema registry to register its schema and write its id. */
    static void requireRegistryForAvro(List<CompiledPipeline> pipelines, NodeConfig config)
    {
        if (config.schemaRegistry().url().isPresent()) {
            return;
        }
        for (CompiledPipeline pipeline : pipelines) {
            if (pipeline.definition().output().format() == OutputFormat.AVRO) {
                throw new IllegalArgumentException("pipeline " + pipeline.name() + " writes format: avro, which needs a schema registry: "
                        + "set schema-registry.url in the config or SCHEMA_REGISTRY_URL, or override the output format with --format json");
            }
        }
    }
}
