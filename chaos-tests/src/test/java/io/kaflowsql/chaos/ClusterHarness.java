package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * A multi-process cluster for the scaling and fail-over tests: the embedded broker in this JVM with the
 * known input of {@link CrashTestData} (joined rows written up front, clicks fed at a steady rate by a
 * {@link ClickFeeder}), and up to {@code maxNodes} node JVMs ({@code node-1}...) that all list every
 * member's cluster port. Each node has its own state directory, HTTP port and log; {@link #view} reads a
 * node's {@code /cluster} endpoint. Every step is printed with the time since the start. A {@link ClusterNetwork}
 * says where the broker and the nodes live ({@link ClusterNetwork#LOOPBACK} unless given); {@code cluster.min-size}
 * is 1 unless given. Every node's admin API listens on a fixed port ({@link #adminAddress}) and wants {@link #ADMIN_TOKEN}.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class ClusterHarness
        implements AutoCloseable
{
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final String MAIN_CLASS = "io.kaflowsql.node.cli.KaflowSql";
    static final String ADMIN_TOKEN = "chaos-admin-token";

    private final Path dir;
    private final ClusterNetwork network;
    private final int minSize;
    private final EmbeddedKafkaBroker broker;
    private final CrashTestData data;
    private final Map<String, JsonNode> expected;
    private final ClickFeeder feeder;
    private final OutputTopicReader reader;
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> adminPorts = new ArrayList<>();
    private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
    private final List<NodeProcess> all = new ArrayList<>();
    private final long started = System.nanoTime();

    ClusterHarness(Path dir, int maxNodes, int clicks, double clicksPerSecond, int partitions)
            throws Exception
    {
        this(dir, maxNodes, clicks, clicksPerSecond, partitions, ClusterNetwork.LOOPBACK, 1);
    }

    ClusterHarness(Path dir, int maxNodes, int clicks, double clicksPerSecond, int partitions, ClusterNetwork network, int minSize)
            throws Exception
    {
        this.dir = requireNonNull(dir, "dir is null");
        this.network = requireNonNull(network, "network is null");
        this.minSize = minSize;
        CompiledPipeline pipeline = new PipelineLoader().load(CrashScenario.SEED_PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON));
        this.data = CrashTestData.generate(clicks, 42);
        this.expected = ExpectedEnrichment.compute(pipeline, data, dir.resolve("reference"));
        this.broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), network.brokerHost(), 0, partitions);
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : PersonalizationTopics.INPUTS) {
            topics.put(topic, partitions);
        }
        topics.put(PersonalizationTopics.PERSONALIZED_EVENTS, partitions);
        broker.createTopics(topics, Map.of());
        ClickFeeder.writeAll(broker.bootstrapServers(), data.joinedRows());
        this.feeder = new ClickFeeder(broker.bootstrapServers(), data.clicks(), clicksPerSecond);
        this.reader = new OutputTopicReader(broker.bootstrapServers(), PersonalizationTopics.PERSONALIZED_EVENTS);
        for (int i = 0; i < maxNodes; i++) {
            clusterPorts.add(FreePorts.pick());
            httpPorts.add(FreePorts.pick());
            adminPorts.add(FreePorts.pick());
        }
        Files.createDirectories(dir.resolve("pipelines"));
        Files.copy(CrashScenario.SEED_PIPELINE, dir.resolve("pipelines").resolve("pipeline.yaml"));
        log("broker %s, %d clicks -> %d expected outputs, %d partitions, cluster ports %s", broker.bootstrapServers(), clicks, expected.size(),
                partitions, clusterPorts);
    }

    /** Starts {@code node-<number>} (1-based) and waits until it is READY. */
    NodeProcess start(int number)
            throws InterruptedException
    {
        NodeProcess node = launch(number);
        awaitReady(number);
        return node;
    }

    /** Starts {@code node-<number>} (1-based) with extra {@code -D} system properties and waits until it is READY. */
    NodeProcess start(int number, List<String> systemProperties)
            throws InterruptedException
    {
        NodeProcess node = launch(number, systemProperties);
        awaitReady(number);
        return node;
    }

    /** Starts {@code node-<number>} (1-based) without waiting for it. */
    NodeProcess launch(int number)
    {
        return launch(number, List.of());
    }

    /** Starts {@code node-<number>} (1-based) with extra {@code -D} system properties, without waiting for it. */
    NodeProcess launch(int number, List<String> systemProperties)
    {
        String id = "node-" + number;
        Path nodeDir = dir.resolve(id);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < clusterPorts.size(); i++) {
            members.add(network.nodeHost(i + 1) + ":" + clusterPorts.get(i));
        }
        List<String> command = new ArrayList<>(network.commandPrefix(number));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + mkdirs(nodeDir.resolve("tmp"))));
        command.addAll(systemProperties);
        command.addAll(NodeJvm.HAZELCAST_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "node",
                "--config", writeConfig(nodeDir).toString(),
                "--node-id", id, "--cluster-host", network.nodeHost(number),
                "--cluster-port", Integer.toString(clusterPorts.get(number - 1)), "--cluster-members", String.join(",", members),
                "--admin-port", Integer.toString(adminPorts.get(number - 1)), "--http-port", Integer.toString(httpPorts.get(number - 1)), "--format", "json"));
        NodeProcess node = NodeProcess.start(id + "#" + (all.size() + 1), command, nodeDir.resolve("node-" + (all.size() + 1) + ".log"));
        nodes.put(number, node);
        all.add(node);
        log("%s started (pid %d)", id, node.pid());
        return node;
    }

    /** Waits until the running {@code node-<number>} is READY. */
    void awaitReady(int number)
            throws InterruptedException
    {
        String id = "node-" + number;
        NodeProcess node = nodes.get(number);
        if (!node.awaitReady(READY_TIMEOUT)) {
            throw failure(id + (node.isAlive() ? " not ready within " + READY_TIMEOUT.toSeconds() + " s" : " exited before it was ready"));
        }
        log("%s ready", id);
    }

    /** {@code host:port} of the admin API of {@code node-<number>}. */
    String adminAddress(int number)
    {
        return network.nodeHost(number) + ":" + adminPorts.get(number - 1);
    }

    /** The {@code /cluster} view of a running node. */
    Optional<JsonNode> view(int number)
    {
        return new NodeHttpProbe(network.nodeHost(number), httpPorts.get(number - 1)).cluster();
    }

    /** Owner of each task as node {@code number} sees the assignment ({@code pipeline-p -> node-i}). */
    Map<String, String> owners(int number)
    {
        Map<String, String> owners = new HashMap<>();
        view(number).ifPresent(json -> json.path("owners").fields().forEachRemaining(entry -> owners.put(entry.getKey(), entry.getValue().asText())));
        return owners;
    }

    /** Tasks node {@code number} has open. */
    Set<String> owned(int number)
    {
        Set<String> owned = new TreeSet<>();
        view(number).ifPresent(json -> json.path("owned").elements().forEachRemaining(task -> owned.add(task.asText())));
        return owned;
    }

    /** Waits until {@code condition} holds (checked every 250 ms); fails the test with the node logs otherwise. */
    void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw failure("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            readSome();
            Thread.sleep(250);
        }
        log("%s", what);
    }

    /** Reads what the output topic has now; a slow broker answer only delays it to the next call. */
    private void readSome()
    {
        try {
            reader.readAvailable(Duration.ofSeconds(1));
        }
        catch (org.apache.kafka.common.errors.TimeoutException e) {
            // read on the next call
        }
    }

    /** Waits until every task has an open owner among {@code numbers}, each owning at least one task. */
    void awaitTasksSpreadOver(Set<Integer> numbers, int partitions)
            throws InterruptedException
    {
        await("every task open on one of nodes " + numbers + ", each owning some", READY_TIMEOUT, () -> {
            Set<String> open = new TreeSet<>();
            int total = 0;
            for (int number : numbers) {
                Set<String> owned = owned(number);
                if (owned.isEmpty()) {
                    return false;
                }
                open.addAll(owned);
                total += owned.size();
            }
            return open.size() == partitions && total == partitions;
        });
    }

    /** Distinct event ids read from the output topic so far (reads what is there now first). */
    int outputEventIds()
    {
        readSome();
        return reader.distinctEventIds();
    }

    ClickFeeder feeder()
    {
        return feeder;
    }

    NodeProcess node(int number)
    {
        return nodes.get(number);
    }

    /** Lets the rest of the clicks go, waits until they are written and the output holds every expected event id. */
    DeliveryReport finish()
            throws InterruptedException
    {
        feeder.release(feeder.total());
        feeder.awaitDone(Duration.ofSeconds(Math.round(feeder.total() / 50.0) + 180));
        log("all %d clicks written", feeder.total());
        await("output holds every expected event id", Duration.ofSeconds(120), () -> reader.containsAll(expected.keySet()));
        for (Map.Entry<Integer, NodeProcess> node : nodes.entrySet()) {
            if (node.getValue().isAlive() && !node.getValue().stop(Duration.ofSeconds(60))) {
                throw failure("node-" + node.getKey() + " did not stop within 60 s of SIGTERM");
            }
        }
        reader.readAvailable(Duration.ofSeconds(20));
        DeliveryReport report = DeliveryReport.compare(expected, reader.valuesByEventId(), reader.records(), reader.unreadable());
        log("%s", report.describe(expected));
        return report;
    }

    Map<String, JsonNode> expected()
    {
        return expected;
    }

    /** The last lines of every node process, for failure messages. */
    String nodeOutput()
    {
        StringBuilder text = new StringBuilder();
        for (NodeProcess node : all) {
            text.append("---- last 60 lines of ").append(node.name()).append(" ----\n");
            node.tail(60).forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    void log(String format, Object... args)
    {
        System.out.printf("[cluster +%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, String.format(format, args));
    }

    private AssertionError failure(String message)
    {
        return new AssertionError(message + "\n" + nodeOutput());
    }

    private Path writeConfig(Path nodeDir)
    {
        String config = String.join("\n",
                "cluster:",
                "  name: chaos",
                "  heartbeat-interval: 1s",
                "  failure-timeout: 10s",
                "  min-size: " + minSize,
                "standby: { replicas: 1, refresh-interval: 5s }",
                "kafka:",
                "  bootstrap-servers: \"" + broker.bootstrapServers() + "\"",
                "  consumer-group: chaos",
                "state: { dir: \"" + nodeDir.resolve("state") + "\" }",
                "pipelines: { dir: \"" + dir.resolve("pipelines") + "\" }",
                "processing:",
                "  guarantee: exactly_once",
                "  commit-interval: 100ms",
                "checkpoint: { interval: 2s, keep: 2 }",
                "logging: { level: INFO }",
                "admin: { token: " + ADMIN_TOKEN + " }",
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

    private static Path mkdirs(Path path)
    {
        try {
            return Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
            throws Exception
    {
        for (NodeProcess node : all) {
            node.close();
        }
        feeder.close();
        reader.close();
        broker.close();
        for (Map.Entry<Integer, NodeProcess> node : nodes.entrySet()) {
            NodeLogs.keep(dir.resolve("node-" + node.getKey()), "cluster-node-" + node.getKey());
        }
    }
}
