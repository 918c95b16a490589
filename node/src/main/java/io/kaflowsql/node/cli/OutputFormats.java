package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;

import java.util.List;

/** Which output formats this build can write. Avro needs the schema-registry work (a later issue). */
final class OutputFormats
{
    private OutputFormats() {}

    static void requireSupported(List<CompiledPipeline> pipelines)
    {
        for (CompiledPipeline pipeline : pipelines) {
            if (pipeline.definition().output().format() == OutputFormat.AVRO) {
                throw new IllegalArgumentException("pipeline " + pipeline.name() + " writes format: avro, which needs a schema registry; "
                        + "this build writes JSON only. Run with --format json to override the output format.");
            }
        }
    }
}
