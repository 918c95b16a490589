package io.kaflowsql.node.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.node.internal.broker.FreePorts;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;
import io.kaflowsql.pipelines.personalization.TrafficProducer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code kaflowsql demo --nodes N}: N node processes on this machine form one cluster against the embedded
 * broker; the demo feeds traffic and prints, every summary interval, the assignment (which node owns which
 * task, who leads, the generation) and each node's throughput, read from the nodes' {@code /cluster} and
 * {@code /metrics} endpoints. Node logs go to {@code <data dir>/node-<i>.log}.
 *
 * <p>Not thread-safe: the demo thread runs it.
 */
final class ClusterDemo
{
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final DemoSettings settings;
    private final PrintStream out;
    private final Clock clock;
    private final BooleanSupplier stopped;

    private record Node(String id, NodeJvm process, NodeHttpProbe probe, int httpPort) {}

    ClusterDemo(DemoSettings settings, PrintStream out, Clock clock, BooleanSupplier stopped)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.stopped = requireNonNull(stopped, "stopped is null");
    }

    /** Runs the cluster until the duration passes or the demo is stopped; returns the events written. */
    long run(EmbeddedKafkaBroker broker, CompiledPipeline pipeline, Path dataDir, TrafficProducer traffic, DemoFormats formats)
            throws InterruptedException
    {
        Path pipelines = writePipeline(dataDir, pipeline);
        Map<String, String> environment = new HashMap<>();
        formats.registrySettings().url().ifPresent(url -> environment.put("SCHEMA_REGISTRY_URL", url));
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < settings.nodes(); i++) {
            clusterPorts.add(FreePorts.pick());
        }
        String members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < settings.nodes(); i++) {
                String id = "node-" + (i + 1);
                int httpPort = settings.httpPort() == 0 ? FreePorts.pick() : settings.httpPort() + i;
                List<String> args = List.of("--bootstrap-servers", broker.bootstrapServers(), "--pipelines", pipelines.toString(),
                        "--state-dir", dataDir.resolve("state-" + id).toString(), "--http-port", Integer.toString(httpPort),
                        "--format", settings.format().yamlName(), "--node-id", id, "--cluster-host", "127.0.0.1",
                        "--cluster-port", Integer.toString(clusterPorts.get(i)), "--cluster-members", members,
                        "--admin-port", Integer.toString(FreePorts.pick()));
                NodeJvm process = NodeJvm.start(id, List.of("-Xmx512m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + tmp(dataDir)), args, environment,
                        dataDir.resolve(id + ".log"));
                nodes.add(new Node(id, process, new NodeHttpProbe("127.0.0.1", httpPort), httpPort));
                out.println("Started " + id + " (pid " + process.pid() + ", HTTP " + httpPort + ", cluster port " + clusterPorts.get(i) + ", log "
                        + process.logFile() + ")");
            }
            if (!awaitReady(nodes)) {
                return 0;
            }
            out.println("Cluster ready: " + nodes.size() + " nodes. Producing " + settings.eventsPerSecond() + " clicks/s; Ctrl-C to stop.");
            Thread producer = new Thread(() -> {
                try {
                    traffic.runClicksUntilStopped(settings.eventsPerSecond(), stopped::getAsBoolean);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-traffic");
            producer.setDaemon(true);
            producer.start();
            long written = summarize(nodes);
            producer.interrupt();
            return written;
        }
        finally {
            out.println("Stopping " + nodes.size() + " nodes (each drains, commits and leaves)...");
            for (Node node : nodes) {
                node.process().stop(Duration.ofSeconds(40));
            }
        }
    }

    private boolean awaitReady(List<Node> nodes)
            throws InterruptedException
    {
        long deadline = clock.millis() + READY_TIMEOUT.toMillis();
        long nextReport = clock.millis() + 5_000;
        while (!nodes.stream().allMatch(node -> node.probe().ready())) {
            for (Node node : nodes) {
                if (!node.process().isAlive()) {
                    out.println(node.id() + " exited during start; last lines of " + node.process().logFile() + ":");
                    tail(node.process().logFile()).forEach(line -> out.println("  " + line));
                    return false;
                }
            }
            if (stopped.getAsBoolean() || clock.millis() > deadline) {
                out.println("Nodes not ready after " + READY_TIMEOUT.toSeconds() + " s; see the node logs in the data directory");
                return false;
            }
            if (clock.millis() >= nextReport) {
                out.println("Waiting for nodes: " + nodes.stream().map(node -> node.id() + "=" + lifecycle(node)).collect(Collectors.joining(", ")));
                nextReport += 5_000;
            }
            Thread.sleep(250);
        }
        return true;
    }

    private long summarize(List<Node> nodes)
            throws InterruptedException
    {
        long start = clock.millis();
        long end = settings.duration().map(duration -> start + duration.toMillis()).orElse(Long.MAX_VALUE);
        Map<String, Double> previous = new HashMap<>();
        Map<String, Double> first = new HashMap<>();
        long previousMillis = start;
        for (Node node : nodes) {
            double outNow = node.probe().recordsOut().orElse(0.0);
            previous.put(node.id(), outNow);
            first.put(node.id(), outNow);
        }
        while (!stopped.getAsBoolean() && clock.millis() < end) {
            Thread.sleep(Math.min(settings.summaryInterval().toMillis(), Math.max(1, end - clock.millis())));
            long now = clock.millis();
            printAssignment(nodes, (now - start) / 1000);
            long intervalMillis = Math.max(1, now - previousMillis);
            for (Node node : nodes) {
                Optional<Double> outNow = node.probe().recordsOut();
                double rate = outNow.map(value -> (value - previous.getOrDefault(node.id(), 0.0)) * 1000.0 / intervalMillis).orElse(0.0);
                outNow.ifPresent(value -> previous.put(node.id(), value));
                out.printf(Locale.ROOT, "  %-8s %-13s %6.0f events/s  tasks %s%n", node.id(), lifecycle(node), rate, ownedTasks(node));
            }
            previousMillis = now;
        }
        double seconds = Math.max(1, clock.millis() - start) / 1000.0;
        long total = 0;
        StringBuilder perNode = new StringBuilder();
        for (Node node : nodes) {
            double written = previous.getOrDefault(node.id(), 0.0) - first.getOrDefault(node.id(), 0.0);
            total += (long) written;
            perNode.append(String.format(Locale.ROOT, " %s=%.0f/s", node.id(), written / seconds));
        }
        out.printf(Locale.ROOT, "RESULT events_out=%d over %.1f s (%.0f/s) with %d nodes:%s%n", total, seconds, total / seconds, nodes.size(), perNode);
        return total;
    }

    private void printAssignment(List<Node> nodes, long elapsedSeconds)
    {
        Optional<JsonNode> view = nodes.stream().map(node -> node.probe().cluster()).flatMap(Optional::stream).findFirst();
        String leader = view.map(json -> json.path("leader").asText("?")).orElse("?");
        String generation = view.map(json -> json.path("generation").asText("?")).orElse("?");
        out.printf(Locale.ROOT, "[%4ds] leader %s, assignment generation %s%n", elapsedSeconds, leader, generation);
    }

    private static String lifecycle(Node node)
    {
        return node.probe().cluster().map(json -> json.path("lifecycle").asText("?")).orElse(node.process().isAlive() ? "STARTING" : "EXITED");
    }

    private static String ownedTasks(Node node)
    {
        return node.probe().cluster().map(json -> {
            List<String> tasks = new ArrayList<>();
            Iterator<JsonNode> owned = json.path("owned").elements();
            owned.forEachRemaining(task -> tasks.add(task.asText()));
            return tasks.toString();
        }).orElse("[]");
    }

    private Path writePipeline(Path dataDir, CompiledPipeline pipeline)
    {
        try {
            Path dir = Files.createDirectories(dataDir.resolve("pipelines"));
            Files.writeString(dir.resolve(pipeline.name() + ".yaml"), PipelineSource.text(settings.pipeline()), StandardCharsets.UTF_8);
            return dir;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the pipeline for the node processes", e);
        }
    }

    private static Path tmp(Path dataDir)
    {
        try {
            return Files.createDirectories(dataDir.resolve("tmp"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> tail(Path log)
    {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - 20), lines.size());
        }
        catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
