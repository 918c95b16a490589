package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.PipelineLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds a pipeline file given as a repository path ({@code pipelines/personalization/pipeline.yaml}):
 * as given, then under the installation ({@code kaflowsql.home}), then inside the pipelines jar, so the
 * demo works from any directory.
 */
public final class PipelineSource
{
    private PipelineSource() {}

    public static CompiledPipeline load(String path, UnaryOperator<PipelineDefinition> adjust)
    {
        PipelineLoader loader = new PipelineLoader();
        Optional<Path> file = locate(path);
        if (file.isPresent()) {
            return loader.load(file.get(), adjust);
        }
        try (InputStream resource = PipelineSource.class.getClassLoader().getResourceAsStream(path)) {
            if (resource == null) {
                throw new IllegalArgumentException("pipeline file " + path + " not found");
            }
            return loader.load(new String(resource.readAllBytes(), StandardCharsets.UTF_8), path, adjust);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pipeline file's text (for node processes that load it themselves). */
    public static String text(String path)
    {
        Optional<Path> file = locate(path);
        try {
            if (file.isPresent()) {
                return Files.readString(file.get(), StandardCharsets.UTF_8);
            }
            try (InputStream resource = PipelineSource.class.getClassLoader().getResourceAsStream(path)) {
                if (resource == null) {
                    throw new IllegalArgumentException("pipeline file " + path + " not found");
                }
                return new String(resource.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> locate(String path)
    {
        Path given = Path.of(path);
        if (Files.isRegularFile(given)) {
            return Optional.of(given);
        }
        String home = System.getProperty("kaflowsql.home");
        if (home != null && !given.isAbsolute() && Files.isRegularFile(Path.of(home).resolve(given))) {
            return Optional.of(Path.of(home).resolve(given));
        }
        return Optional.empty();
    }
}
