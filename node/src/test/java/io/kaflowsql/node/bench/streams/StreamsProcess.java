package io.kaflowsql.node.bench.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * {@link PersonalizationStreamsApp} in its own JVM on this JVM's class path, with the run's name as
 * {@code application.id} (so as consumer group), one stream thread unless told otherwise, and its output in
 * a log file; ready once it logged the RUNNING state. Thread-safe.
 */
final class StreamsProcess
        implements EngineProcess
{
    private static final String RUNNING = "STREAMS_STATE RUNNING ";

    private final String applicationId;
    private final Process process;
    private final Path logFile;

    private StreamsProcess(String applicationId, Process process, Path logFile)
    {
        this.applicationId = applicationId;
        this.process = process;
        this.logFile = logFile;
    }

    static StreamsProcess start(String bootstrapServers, RunSpec spec, int threads, PersonalizationStreamsApp.StoreKind stores)
            throws IOException
    {
        requireNonNull(spec, "spec is null");
        Files.createDirectories(spec.dir().resolve("tmp"));
        Path logFile = spec.dir().resolve("streams.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmFlags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PersonalizationStreamsApp.class.getName(),
                "--bootstrap-servers", bootstrapServers, "--application-id", spec.name(), "--clicks-topic", spec.clicksTopic(),
                "--output-topic", spec.outputTopic(), "--guarantee", spec.guarantee(), "--threads", Integer.toString(threads),
                "--commit-interval-ms", Long.toString(spec.commitIntervalMillis()), "--stores", stores.name(),
                "--state-dir", spec.dir().resolve("state").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new StreamsProcess(spec.name(), process, logFile);
    }

    @Override
    public long pid()
    {
        return process.pid();
    }

    @Override
    public boolean alive()
    {
        return process.isAlive();
    }

    @Override
    public boolean ready()
    {
        return runningSince().isPresent();
    }

    /** When the application first logged the RUNNING state (its stores restored, its tasks assigned). */
    OptionalLong runningSince()
    {
        return firstMarker(RUNNING);
    }

    /** When the last global store (a dimension) finished restoring, as the application logged it. */
    OptionalLong dimensionsRestored()
    {
        OptionalLong last = OptionalLong.empty();
        for (String line : lines()) {
            if (line.startsWith("STREAMS_RESTORED ")) {
                last = OptionalLong.of(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return last;
    }

    private OptionalLong firstMarker(String prefix)
    {
        for (String line : lines()) {
            if (line.startsWith(prefix)) {
                return OptionalLong.of(Long.parseLong(line.substring(prefix.length()).trim()));
            }
        }
        return OptionalLong.empty();
    }

    private List<String> lines()
    {
        try {
            // decoded leniently: the process may be in the middle of writing a line
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList() : List.of();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String consumerGroup()
    {
        return applicationId;
    }

    @Override
    public Path logFile()
    {
        return logFile;
    }

    @Override
    public void close()
    {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
