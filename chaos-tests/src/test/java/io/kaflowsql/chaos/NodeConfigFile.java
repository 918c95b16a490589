package io.kaflowsql.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code node.yaml} of a chaos cluster's node: failure detection in seconds (heartbeat 1 s, a member silent for
 * {@value #FAILURE_TIMEOUT_SECONDS} s is dead), one standby per task, commits every 100 ms and checkpoints every 2 s,
 * the guarantee and minimum cluster size of the run. Stateless; thread-safe.
 */
final class NodeConfigFile
{
    /** {@code cluster.failure-timeout}: a pause longer than this makes a zombie. */
    static final int FAILURE_TIMEOUT_SECONDS = 10;

    private NodeConfigFile() {}

    /** Writes {@code nodeDir/node.yaml} (state in {@code nodeDir/state}) and returns its path. */
    static Path write(Path nodeDir, ClusterHarness.Spec spec, String bootstrapServers, Path pipelinesDir, String adminToken)
    {
        String config = String.join("\n",
                "cluster:",
                "  name: chaos",
                "  heartbeat-interval: 1s",
                "  failure-timeout: " + FAILURE_TIMEOUT_SECONDS + "s",
                "  min-size: " + spec.minSize(),
                "standby: { replicas: 1, refresh-interval: 5s }",
                "kafka:",
                "  bootstrap-servers: \"" + bootstrapServers + "\"",
                "  consumer-group: chaos",
                "state: { dir: \"" + nodeDir.resolve("state") + "\" }",
                "pipelines: { dir: \"" + pipelinesDir + "\" }",
                "processing:",
                "  guarantee: " + (spec.exactlyOnce() ? "exactly_once" : "at_least_once"),
                "  commit-interval: 100ms",
                "checkpoint: { interval: 2s, keep: 2 }",
                "logging: { level: INFO }",
                "admin: { token: " + adminToken + " }",
                "");
        Path file = mkdirs(nodeDir).resolve("node.yaml");
        try {
            Files.writeString(file, config, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Path mkdirs(Path path)
    {
        try {
            return Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
