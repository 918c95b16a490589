package io.kaflowsql.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.process.NodeJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A cluster of {@code kaflowsql node} processes on this machine for the cluster benchmarks, started with
 * {@link NodeJvm} on this JVM's class path: {@code node-1} .. {@code node-<maxNodes>}, each with fixed
 * cluster and HTTP ports, all listing every member port. Every start of a node is a new incarnation with
 * a fresh state directory ({@code <dir>/node-<i>.<incarnation>/state}) and log, so a node that rejoins
 * is a new node for its state. Nodes run {@code exactly_once} (unless the extra config says otherwise)
 * with the engine's defaults for commits, checkpoints and standbys.
 *
 * <p>Not thread-safe: one benchmark thread drives it.
 */
final class BenchCluster
        implements AutoCloseable
{
    private final String name;
    private final String bootstrapServers;
    private final Path pipelinesDir;
    private final Path dir;
    private final List<String> jvmFlags;
    private final String configHead;
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final Map<Integer, BenchNode> running = new TreeMap<>();
    private final List<BenchNode> all = new ArrayList<>();
    private final List<BenchNode> stopped = new ArrayList<>();
    private final Set<String> warned = new HashSet<>();

    /**
     * @param name {@code cluster.name} and consumer group
     * @param pipelinesDir directory of the pipeline files every node runs
     * @param jvmFlags node JVM flags (heap, GC)
     * @param extraConfig top-level YAML sections added to each node's config ({@code processing:}, {@code standby:} ...;
     * not {@code cluster}, {@code kafka}, {@code state}, {@code pipelines} or {@code logging}, which are written here)
     * @param minSize {@code cluster.min-size}
     */
    BenchCluster(String name, String bootstrapServers, Path pipelinesDir, Path dir, int maxNodes, List<String> jvmFlags, String extraConfig, int minSize)
    {
        this.name = requireNonNull(name, "name is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.pipelinesDir = requireNonNull(pipelinesDir, "pipelinesDir is null");
        this.dir = requireNonNull(dir, "dir is null");
        this.jvmFlags = List.copyOf(jvmFlags);
        this.configHead = "cluster:\n  name: " + name + "\n  min-size: " + minSize + "\n" + requireNonNull(extraConfig, "extraConfig is null");
        for (int i = 0; i < maxNodes; i++) {
            clusterPorts.add(FreePorts.pick());
            httpPorts.add(FreePorts.pick());
        }
        // a benchmark stopped with Ctrl-C or SIGTERM skips close(): do not leave node JVMs behind
        Runtime.getRuntime().addShutdownHook(new Thread(this::killAll, "bench-cluster-" + name + "-shutdown"));
    }

    /** The consumer group of the nodes' stream consumers for {@code pipeline} (the engine appends the pipeline name). */
    String streamGroup(String pipeline)
    {
        return name + "-" + pipeline;
    }

    /** Starts a new incarnation of {@code node-<number>} (1-based); does not wait for it. */
    BenchNode start(int number)
    {
        if (running.containsKey(number) && running.get(number).process().isAlive()) {
            throw new IllegalStateException("node-" + number + " is running already");
        }
        String id = "node-" + number;
        Path nodeDir = mkdirs(dir.resolve(id + "." + (all.size() + 1)));
        String members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add("-Djava.io.tmpdir=" + mkdirs(nodeDir.resolve("tmp")));
        // diagnostics, e.g. BENCH_NODE_JVM_FLAGS=-Dlogback.configurationFile=/tmp/debug-logback.xml
        String extra = System.getenv("BENCH_NODE_JVM_FLAGS");
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.strip().split("\\s+")));
        }
        List<String> args = List.of("--config", writeConfig(nodeDir).toString(), "--node-id", id, "--cluster-host", "127.0.0.1",
                "--cluster-port", Integer.toString(clusterPorts.get(number - 1)), "--cluster-members", members,
                "--admin-port", "0", "--http-port", Integer.toString(httpPorts.get(number - 1)), "--format", "json");
        NodeJvm process = NodeJvm.start(id, flags, args, Map.of(), nodeDir.resolve(id + ".log"));
        BenchNode node = new BenchNode(id, number, process, httpPorts.get(number - 1));
        running.put(number, node);
        all.add(node);
        return node;
    }

    BenchNode node(int number)
    {
        return requireNonNull(running.get(number), () -> "node-" + number + " was never started");
    }

    Collection<BenchNode> running()
    {
        return running.values().stream().filter(node -> node.process().isAlive()).toList();
    }

    /** SIGKILL: the node gets no chance to commit, drain or leave. Returns once the process is gone. */
    void kill(BenchNode node)
    {
        stopped.add(node);
        node.process().kill();
    }

    /** SIGTERM: the node drains (its tasks move away with planned moves) and leaves; blocks until it exited. */
    void stop(BenchNode node, Duration timeout)
    {
        stopped.add(node);
        node.process().stop(timeout);
    }

    /** Owner node id of each task's partition as the first reachable running node sees the assignment. */
    Map<Integer, String> owners()
    {
        Map<Integer, String> owners = new TreeMap<>();
        running().stream().map(BenchNode::view).flatMap(Optional::stream).findFirst()
                .ifPresent((JsonNode json) -> json.path("owners").fields()
                        .forEachRemaining(entry -> owners.put(BenchNode.partitionOf(entry.getKey()), entry.getValue().asText())));
        return owners;
    }

    /** Waits until {@code condition} holds (checked every 200 ms); throws with every node's log tail otherwise. */
    void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        int polls = 0;
        while (!condition.getAsBoolean()) {
            if (polls++ % 25 == 0) {
                reportStoppedTasks();
            }
            if (System.nanoTime() > deadline) {
                throw failure("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            for (BenchNode node : running.values()) {
                if (!node.process().isAlive() && !stopped.contains(node)) {
                    throw failure(node.id() + " exited while waiting for " + what);
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * Prints, once each, the lines where a running node says a task "stops on this node" (fenced): unless
     * another node took the task over, its partition makes no progress until the assignment changes, so a
     * wait that follows will time out; the line says why.
     */
    void reportStoppedTasks()
    {
        for (BenchNode node : running()) {
            for (String line : node.tail(400)) {
                if (line.contains("stops on this node") && warned.add(node.process().logFile() + line)) {
                    System.out.println("  WARNING " + node.id() + ": " + line);
                }
            }
        }
    }

    IllegalStateException failure(String message)
    {
        StringBuilder text = new StringBuilder(message).append('\n');
        for (BenchNode node : all) {
            text.append("---- last 40 lines of ").append(node.process().logFile()).append(" ----\n");
            node.tail(40).forEach(line -> text.append(line).append('\n'));
        }
        return new IllegalStateException(text.toString());
    }

    private Path writeConfig(Path nodeDir)
    {
        String config = String.join("\n",
                configHead,
                "kafka:",
                "  bootstrap-servers: \"" + bootstrapServers + "\"",
                "  consumer-group: " + name,
                "state: { dir: \"" + nodeDir.resolve("state") + "\" }",
                "pipelines: { dir: \"" + pipelinesDir + "\" }",
                "logging: { level: INFO }",
                "");
        Path file = nodeDir.resolve("node.yaml");
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

    /** Kills every node still running (SIGKILL: the benchmark's state is thrown away anyway). */
    @Override
    public void close()
    {
        killAll();
    }

    private synchronized void killAll()
    {
        for (BenchNode node : List.copyOf(all)) {
            if (node.process().isAlive()) {
                node.process().kill();
            }
        }
    }
}
