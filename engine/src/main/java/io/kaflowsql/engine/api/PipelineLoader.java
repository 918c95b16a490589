package io.kaflowsql.engine.api;

import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.config.YamlNode;
import io.kaflowsql.engine.internal.avro.AvroSchemaDeriver;
import io.kaflowsql.engine.internal.pipeline.PipelineReader;
import io.kaflowsql.engine.internal.pipeline.PipelineValidator;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.sql.QueryCompiler;
import io.kaflowsql.engine.internal.sql.SqlCompileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads, compiles and validates pipeline files. Every user error becomes a
 * {@link ConfigurationException} whose problems name the file, line, column and key (SQL errors point
 * into the {@code query} block at the exact line of the file).
 *
 * <p>Thread-safe.
 */
public final class PipelineLoader
{
    private final QueryCompiler compiler = new QueryCompiler();

    public CompiledPipeline load(Path file)
    {
        return load(file, UnaryOperator.identity());
    }

    /** Loads a file and applies {@code adjust} (e.g. a {@code --format json} override) before compiling. */
    public CompiledPipeline load(Path file, UnaryOperator<PipelineDefinition> adjust)
    {
        String text;
        try {
            text = Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read pipeline file " + file + ": " + e.getMessage(), e);
        }
        return load(text, file.toString(), adjust);
    }

    public CompiledPipeline load(String text, String fileName)
    {
        return load(text, fileName, UnaryOperator.identity());
    }

    public CompiledPipeline load(String text, String fileName, UnaryOperator<PipelineDefinition> adjust)
    {
        YamlNode root = YamlNode.parse(text, fileName, Map.of());
        PipelineDefinition definition = adjust.apply(PipelineReader.read(root));
        YamlNode queryNode = root.required("query");
        QueryPlan plan;
        try {
            plan = compiler.compile(definition.query());
        }
        catch (SqlCompileException e) {
            throw new ConfigurationException(locate(queryNode, e));
        }
        List<ConfigProblem> problems = new PipelineValidator(root, definition, plan).validate();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        Optional<String> partitionKey = PipelineValidator.partitionKey(definition, plan);
        CompiledPipeline pipeline = new CompiledPipeline(definition, plan, partitionKey);
        checkAvroOutput(root, pipeline);
        return pipeline;
    }

    /**
     * With Avro output, derives the output schema now, as a node does when the pipeline starts, so that a query
     * whose output Avro cannot describe (SELECT * without {@code output.schema}, a column name Avro refuses, an
     * {@code output.schema} that does not fit the columns) fails validation and deploy instead of the start.
     * Types read from the sources' registered schemas are only known at start; nothing here depends on them.
     */
    private static void checkAvroOutput(YamlNode root, CompiledPipeline pipeline)
    {
        if (pipeline.definition().output().format() != OutputFormat.AVRO) {
            return;
        }
        try {
            AvroSchemaDeriver.schemaOf(pipeline);
        }
        catch (IllegalArgumentException e) {
            Optional<YamlNode> output = root.get("output");
            YamlNode at = output.flatMap(node -> node.get("schema"))
                    .or(() -> output.flatMap(node -> node.get("format")))
                    .or(() -> output)
                    .orElse(root);
            boolean atSchema = output.flatMap(node -> node.get("schema")).isPresent();
            throw at.error(atSchema ? e.getMessage().replaceFirst("^output\\.schema: ", "") : e.getMessage());
        }
    }

    /** Maps a position inside the query text to the file. */
    private static ConfigProblem locate(YamlNode queryNode, SqlCompileException e)
    {
        int[] start = queryNode.contentStart();
        if (e.line() <= 0) {
            return new ConfigProblem(queryNode.file(), start[0], start[1], "query", e.getMessage());
        }
        // a block scalar is de-indented line by line, so every query line starts at the same file column
        int line = start[0] + e.line() - 1;
        int column = start[1] + Math.max(e.column(), 1) - 1;
        return new ConfigProblem(queryNode.file(), line, column, "query", e.getMessage());
    }
}
