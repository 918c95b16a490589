package io.kaflowsql.docs;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Pipeline examples through the real loader: whole pipelines, fragments of the seed pipeline, and error examples. */
final class PipelineBlocks
{
    /** The file name error examples are shown with. */
    static final String FILE_NAME = "pipeline.yaml";
    static final String SEED = "pipelines/personalization/pipeline.yaml";

    private static final PipelineLoader LOADER = new PipelineLoader();

    private PipelineBlocks() {}

    static CompiledPipeline load(String yaml)
    {
        return LOADER.load(yaml, FILE_NAME);
    }

    /** A {@code yaml pipeline} block: it loads, and with {@code format: avro} its output schema is derived as at start. */
    static void check(CodeBlock block, Path scratch)
    {
        if (block.has("expect-error")) {
            checkError(block);
            return;
        }
        CompiledPipeline pipeline = loadOrFail(block, block.text());
        deriveAvroSchema(pipeline, scratch);
    }

    /** A {@code yaml pipeline-fragment} block: its top-level keys replace the seed pipeline's, which must still load. */
    static void checkFragment(CodeBlock block, Path scratch)
    {
        Map<String, Object> seed = new Yaml().load(Repository.read(SEED));
        Map<String, Object> fragment = new Yaml().load(block.text());
        assertThat(fragment).as(block.where() + ": a fragment is a mapping of pipeline keys").isNotEmpty();
        Map<String, Object> merged = new LinkedHashMap<>(seed);
        merged.putAll(fragment);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDefaultScalarStyle(DumperOptions.ScalarStyle.PLAIN);
        CompiledPipeline pipeline = loadOrFail(block, new Yaml(options).dump(merged));
        deriveAvroSchema(pipeline, scratch);
    }

    private static CompiledPipeline loadOrFail(CodeBlock block, String yaml)
    {
        try {
            return load(yaml);
        }
        catch (ConfigurationException e) {
            throw new AssertionError(block.where() + ": the example does not load:\n" + e.getMessage(), e);
        }
    }

    private static void checkError(CodeBlock block)
    {
        List<String> expected = Docs.expectedError(block);
        try {
            load(block.text());
        }
        catch (ConfigurationException e) {
            List<String> actual = e.problems().stream().map(ConfigProblem::toString).toList();
            assertThat(actual).as(block.where() + ": the messages shown after the example").containsExactlyElementsOf(expected);
            return;
        }
        throw new AssertionError(block.where() + ": the example was expected to fail with " + expected + " but it loads");
    }

    /** Starts the pipeline's task on the test driver with a registry: what a node does with an Avro output at start. */
    private static void deriveAvroSchema(CompiledPipeline pipeline, Path scratch)
    {
        if (pipeline.definition().output().format() != OutputFormat.AVRO) {
            return;
        }
        Optional<SchemaRegistryClient> registry = Optional.of(new InMemorySchemaRegistry());
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, directory(scratch), InputLimits.DEFAULTS, registry)) {
            assertThat(driver.readOutputs()).isEmpty();
        }
    }

    static Path directory(Path scratch)
    {
        try {
            return Files.createTempDirectory(scratch, "state");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
