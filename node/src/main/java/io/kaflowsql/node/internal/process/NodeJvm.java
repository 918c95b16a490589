package io.kaflowsql.node.internal.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A {@code kaflowsql node} running in its own JVM, on this JVM's class path: how {@code kaflowsql demo --nodes N}
 * runs a cluster on one machine (and how tests get real processes to kill). Output goes to a log file.
 *
 * <p>Thread-safe.
 */
public final class NodeJvm
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(NodeJvm.class);
    private static final String MAIN_CLASS = "io.kaflowsql.node.cli.KaflowSql";
    /** Let Hazelcast use its fast paths without warnings (as the {@code kaflowsql} script does). */
    public static final List<String> HAZELCAST_FLAGS = List.of(
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final Path logFile;

    private NodeJvm(String name, Process process, Path logFile)
    {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java <jvmFlags> <Hazelcast flags> -cp <this class path> KaflowSql node <nodeArgs>}.
     *
     * @param environment extra environment variables (e.g. {@code SCHEMA_REGISTRY_URL})
     */
    public static NodeJvm start(String name, List<String> jvmFlags, List<String> nodeArgs, Map<String, String> environment, Path logFile)
    {
        requireNonNull(name, "name is null");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(HAZELCAST_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "node"));
        command.addAll(nodeArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        try {
            return new NodeJvm(name, builder.start(), logFile);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start node process " + name, e);
        }
    }

    public String name()
    {
        return name;
    }

    public long pid()
    {
        return process.pid();
    }

    public Path logFile()
    {
        return logFile;
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** SIGKILL: the node gets no chance to commit, drain or leave. */
    public void kill()
    {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM (the node drains, commits and leaves), then SIGKILL if it is still alive after {@code timeout}. */
    public void stop(Duration timeout)
    {
        terminate();
        if (!awaitExit(timeout)) {
            log.warn("Node {} did not stop within {} s; killing it", name, timeout.toSeconds());
            kill();
        }
    }

    /**
     * SIGTERM without waiting: the node drains, commits and leaves. Lets a caller stop several nodes at once
     * (they drain in parallel instead of handing their tasks to each other one by one); then {@link #awaitExit}.
     */
    public void terminate()
    {
        process.destroy();
    }

    /** Waits up to {@code timeout} for the process to exit; true if it did. */
    public boolean awaitExit(Duration timeout)
    {
        return waitFor(timeout);
    }

    /** The exit code, once the process has exited. */
    public OptionalInt exitCode()
    {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    private boolean waitFor(Duration timeout)
    {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(30));
        }
    }
}
