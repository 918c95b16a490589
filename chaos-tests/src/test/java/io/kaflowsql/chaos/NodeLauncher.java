package io.kaflowsql.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Starts incarnations of one logical node: every start uses the same config file, pipelines
 * directory and state directory, as a process supervisor restarting a crashed node would. The child
 * JVM runs {@code io.kaflowsql.node.cli.KaflowSql node} on this test JVM's class path.
 *
 * <p>The config file is written once by {@link #create}; fault-injection switches are passed per
 * start as system properties. Not thread-safe; one scenario thread uses it.
 */
final class NodeLauncher
{
    private static final String MAIN_CLASS = "io.kaflowsql.node.cli.KaflowSql";

    private final Path workDir;
    private final Path configFile;
    private int starts;

    private NodeLauncher(Path workDir, Path configFile)
    {
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.configFile = requireNonNull(configFile, "configFile is null");
    }

    /**
     * Prepares {@code workDir}: the pipeline file copied into {@code pipelines/}, state in {@code state/},
     * a temp dir for the child JVMs (RocksDB unpacks its native library there on every start) and the
     * node config with the given guarantee, a 100 ms commit interval and the given checkpoint interval.
     */
    static NodeLauncher create(Path workDir, Path pipelineFile, String bootstrapServers, String guarantee, String checkpointInterval)
    {
        try {
            Path pipelines = Files.createDirectories(workDir.resolve("pipelines"));
            Files.copy(pipelineFile, pipelines.resolve(pipelineFile.getFileName()));
            Files.createDirectories(workDir.resolve("tmp"));
            String config = String.join("\n",
                    "cluster: { name: chaos }",
                    "kafka:",
                    "  bootstrap-servers: " + quoted(bootstrapServers),
                    "  consumer-group: chaos",
                    "state: { dir: " + quoted(workDir.resolve("state").toString()) + " }",
                    "pipelines: { dir: " + quoted(pipelines.toString()) + " }",
                    "processing:",
                    "  guarantee: " + guarantee,
                    "  commit-interval: 100ms",
                    "checkpoint:",
                    "  interval: " + checkpointInterval,
                    "  keep: 2",
                    "logging: { level: INFO }",
                    "");
            Path configFile = workDir.resolve("node.yaml");
            Files.writeString(configFile, config, StandardCharsets.UTF_8);
            return new NodeLauncher(workDir, configFile);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot prepare node directory " + workDir, e);
        }
    }

    /** Starts the next incarnation with the extra {@code -D} system properties (fault injection). */
    NodeProcess start(List<String> systemProperties)
    {
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + workDir.resolve("tmp")));
        command.addAll(systemProperties);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                MAIN_CLASS, "node",
                "--config", configFile.toString(),
                "--http-port", "0",
                "--format", "json"));
        String name = "node#" + starts;
        return NodeProcess.start(name, command, workDir.resolve("node-" + starts + ".log"));
    }

    int starts()
    {
        return starts;
    }

    private static String quoted(String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
