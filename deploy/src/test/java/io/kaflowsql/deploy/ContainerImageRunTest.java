package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs programs from the image without a container engine: its layers are extracted into a directory and the
 * image's own {@code java} is started there with {@code chroot --userspec=10001:10001}, the image's user and
 * environment. So only the image's runtime, its libraries and its application jars are used, as that user.
 * Needs root (chroot), as CI has; skipped otherwise. Unlike a container there is no /proc or /dev inside: without
 * /proc/self/exe the dynamic loader cannot expand {@code $ORIGIN}, the run path by which {@code java} finds
 * {@code libjli.so}, so the runs here add {@code LD_LIBRARY_PATH=/opt/java/lib} (a container needs nothing of the kind).
 */
@EnabledOnOs(OS.LINUX)
@DisabledIfSystemProperty(named = "kaflowsql.image.skip", matches = "true", disabledReason = "built with -Djib.skip=true")
class ContainerImageRunTest
{
    private static final long DEADLINE_SECONDS = 180;

    @TempDir
    static Path work;

    private static Path root;
    private static List<String> entrypoint;
    private static List<String> environment;

    @BeforeAll
    static void extractTheImage()
            throws IOException
    {
        assumeTrue(isRoot(), "chroot needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/chroot")), "chroot (coreutils) not found");
        OciImageLayout image = OciImageLayout.shared();
        root = Files.createDirectory(work.resolve("root"));
        image.extractTo(root);
        JsonNode config = image.config().path("config");
        entrypoint = ContainerImageTest.strings(config.path("Entrypoint"));
        environment = ContainerImageTest.strings(config.path("Env"));

        Path probe = root.resolve("probe/io/kaflowsql/deploy");
        Files.createDirectories(probe);
        Files.copy(Path.of(RocksDbProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath(), "io/kaflowsql/deploy/RocksDbProbe.class"),
                probe.resolve("RocksDbProbe.class"));
        Files.createDirectories(root.resolve("app/pipelines"));
        Files.copy(Repository.file("pipelines/personalization/pipeline.yaml"), root.resolve("app/pipelines/personalization.yaml"));
    }

    @Test
    void theEntrypointRunsTheCliAsTheImageUser()
    {
        Result result = run(withArguments(entrypoint, "--version"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).startsWith("kaflowsql ");
    }

    @Test
    void theImageRuntimeCompilesTheSeedPipeline()
    {
        // Calcite (java.sql), Avro and the pipeline model on the jlink'd runtime: nothing the node needs is missing from it.
        Result result = run(withArguments(entrypoint, "validate", "/app/pipelines/personalization.yaml"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("personalization_engine");
    }

    @Test
    void rocksDbLoadsItsNativeLibraryAndWritesAsTheImageUser()
    {
        // The JNI library goes to /tmp and the store to the state directory, both writable by user 10001 only through their mode.
        List<String> command = List.of("java", "-Djava.io.tmpdir=/tmp", "-cp", "/probe:/app/libs/*", RocksDbProbe.class.getName(),
                "/var/lib/kaflowsql/probe-store");
        Result result = run(command);

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("rocksdb ok written as kaflowsql");
    }

    private static List<String> withArguments(List<String> command, String... arguments)
    {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(arguments));
        return full;
    }

    /** Runs {@code command} inside the extracted image as its user, with only the image's environment. */
    private static Result run(List<String> command)
    {
        List<String> chroot = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=10001:10001", root.toString()));
        chroot.add("/opt/java/bin/" + command.get(0));
        chroot.addAll(command.subList(1, command.size()));
        ProcessBuilder builder = new ProcessBuilder(chroot).redirectErrorStream(true);
        builder.environment().clear();
        for (String variable : environment) {
            int equals = variable.indexOf('=');
            builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
        }
        builder.environment().put("LD_LIBRARY_PATH", "/opt/java/lib");
        try {
            Path output = Files.createTempFile(work, "output", ".txt");
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + DEADLINE_SECONDS + " s: " + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean isRoot()
    {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        catch (IOException e) {
            return false;
        }
    }

    private record Result(int exitCode, String output) {}
}
