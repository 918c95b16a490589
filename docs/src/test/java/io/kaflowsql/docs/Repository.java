package io.kaflowsql.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository checkout the docs tests run in: its root, its Markdown files, and files read by repository path. */
final class Repository
{
    private static final Path ROOT = findRoot();

    private Repository() {}

    static Path root()
    {
        return ROOT;
    }

    static Path file(String repositoryPath)
    {
        return ROOT.resolve(repositoryPath);
    }

    static String read(String repositoryPath)
    {
        try {
            return Files.readString(file(repositoryPath));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository path of a file under the root, with forward slashes. */
    static String relative(Path file)
    {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Every documentation page: {@code README.md} and {@code docs/**}{@code /*.md}, in a stable order. */
    static List<Path> markdownFiles()
    {
        List<Path> files = new ArrayList<>();
        files.add(file("README.md"));
        try (Stream<Path> docs = Files.walk(file("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md"))
                    .filter(path -> !Repository.relative(path).startsWith("docs/target/") && !Repository.relative(path).startsWith("docs/src/"))
                    .sorted()
                    .forEach(files::add);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static Path findRoot()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("engine"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("run the docs tests inside the repository checkout");
    }
}
