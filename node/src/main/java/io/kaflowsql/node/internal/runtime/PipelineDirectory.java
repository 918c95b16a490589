package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Loads every pipeline file ({@code *.yaml}, {@code *.yml}) of a directory, or a single file. All of
 * them must be valid: the problems of every file are reported together, so one run shows all fixes.
 */
public final class PipelineDirectory
{
    private PipelineDirectory() {}

    public static List<CompiledPipeline> load(Path path, UnaryOperator<PipelineDefinition> adjust)
    {
        List<Path> files = files(path);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no pipeline files (*.yaml, *.yml) in " + path);
        }
        PipelineLoader loader = new PipelineLoader();
        List<CompiledPipeline> pipelines = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            try {
                CompiledPipeline pipeline = loader.load(file, adjust);
                if (!names.add(pipeline.name())) {
                    problems.add(new ConfigProblem(file.toString(), 0, 0, "name", "another pipeline file already uses the name '" + pipeline.name() + "'"));
                }
                pipelines.add(pipeline);
            }
            catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return pipelines;
    }

    private static List<Path> files(Path path)
    {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("pipelines path " + path + " does not exist");
        }
        try (Stream<Path> entries = Files.list(path)) {
            return entries.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }
}
