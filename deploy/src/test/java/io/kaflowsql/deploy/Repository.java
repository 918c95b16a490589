package io.kaflowsql.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the repository's files and the build's outputs: system properties set by deploy/pom.xml's
 * surefire configuration, with defaults for a run from the deploy directory. Stateless.
 */
final class Repository
{
    private Repository() {}

    static Path root()
    {
        return Path.of(System.getProperty("kaflowsql.repository.root", "..")).toAbsolutePath().normalize();
    }

    static Path file(String relative)
    {
        return root().resolve(relative);
    }

    static String read(String relative)
    {
        try {
            return Files.readString(file(relative), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project version the build passes ({@code 0.1.0-SNAPSHOT}). */
    static String version()
    {
        String version = System.getProperty("kaflowsql.version");
        if (version == null) {
            throw new IllegalStateException("kaflowsql.version is not set: run the tests through Maven (deploy/pom.xml sets it)");
        }
        return version;
    }

    /** The image tarball the build wrote (jib:buildTar before the tests). */
    static Path imageTarball()
    {
        return Path.of(System.getProperty("kaflowsql.image.tar", "target/kaflowsql-image.tar")).toAbsolutePath();
    }
}
