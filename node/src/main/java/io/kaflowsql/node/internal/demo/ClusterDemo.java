package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;
import io.kaflowsql.pipelines.personalization.TrafficProducer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code kaflowsql demo --nodes N}: N node processes on this machine form one cluster against the embedded
 * broker; the demo feeds traffic and prints, every summary interval, the leader, the assignment generation and
 * per node its lifecycle, tasks, standby tasks and events/s (read from each node's {@code /cluster} and
 * {@code /metrics}, see {@link ClusterReport}), then a {@code RESULT} line with per-node totals. Node logs go
 * to {@code <data dir>/node-<i>.log}.
 *
 * <p>Why the waiting: N JVMs, a broker and the traffic generator share the machine, so starting, joining,
 * loading dimensions and opening and moving tasks take a minute or more. The {@code --duration} clock starts
 * only once the assignment has settled (or {@link #SETTLE_TIMEOUT} passed), so the result measures a working
 * cluster rather than its start-up. At the end all nodes get SIGTERM at once: each drains and leaves in parallel
 * (stopping them one by one would move every task through each remaining node in turn).
 *
 * <p>Not thread-safe: the demo thread runs it.
 */
final class ClusterDemo
{
    /** Generous: on a busy 2-core machine three node JVMs took 2 minutes to start and 2 more to join (the demo prints progress meanwhile). */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    /** Start fast (C1 only) and small: several of these share the machine with the broker. */
    private static final List<String> NODE_JVM_FLAGS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final DemoSettings settings;
    private final PrintStream out;
    private final Clock clock;
    private final BooleanSupplier stopped;

    ClusterDemo(DemoSettings settings, PrintStream out, Clock clock, BooleanSupplier stopped)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.stopped = requireNonNull(stopped, "stopped is null");
    }

    /** Runs the cluster until the duration passes or the demo is stopped; returns the events written in the measured period. */
    long run(DemoKafka broker, CompiledPipeline pipeline, Path dataDir, TrafficProducer traffic, DemoFormats formats)
            throws InterruptedException
    {
        Path pipelines = writePipeline(dataDir, pipeline);
        Path config = writeNodeConfig(dataDir);
        Map<String, String> environment = new HashMap<>();
        formats.registrySettings().url().ifPresent(url -> environment.put("SCHEMA_REGISTRY_URL", url));
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < settings.nodes(); i++) {
            clusterPorts.add(FreePorts.pick());
        }
        String members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
        List<Integer> httpPorts = httpPorts(formats);
        List<DemoNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < settings.nodes(); i++) {
                String id = "node-" + (i + 1);
                List<String> args = List.of("--config", config.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                        "--pipelines", pipelines.toString(), "--state-dir", dataDir.resolve("state-" + id).toString(),
                        "--http-port", Integer.toString(httpPorts.get(i)), "--format", settings.format().yamlName(), "--node-id", id,
                        "--cluster-host", "127.0.0.1", "--cluster-port", Integer.toString(clusterPorts.get(i)), "--cluster-members", members,
                        "--admin-port", Integer.toString(FreePorts.pick()));
                List<String> flags = new ArrayList<>(NODE_JVM_FLAGS);
                flags.add("-Djava.io.tmpdir=" + directory(dataDir.resolve("tmp")));
                NodeJvm process = NodeJvm.start(id, flags, args, environment, dataDir.resolve(id + ".log"));
                nodes.add(new DemoNode(id, process, new NodeHttpProbe("127.0.0.1", httpPorts.get(i)), clock));
                out.println("Started " + id + " (pid " + process.pid() + ", HTTP " + httpPorts.get(i) + ", cluster port " + clusterPorts.get(i)
                        + ", log " + process.logFile() + ")");
            }
            try (NodeSampler sampler = new NodeSampler(nodes)) {
                if (!awaitReady(nodes)) {
                    return 0;
                }
                out.println("Cluster ready: " + nodes.size() + " nodes. Producing " + settings.eventsPerSecond() + " clicks/s; Ctrl-C to stop.");
                out.println("Every " + settings.summaryInterval().toSeconds() + " s: leader, assignment generation, then per node its lifecycle, "
                        + "open tasks (partitions of " + pipeline.name() + "), standby tasks and events/s written; n/a = the node did not answer.");
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
                long written = summarize(sampler, new ClusterReport(pipeline.name(), out));
                producer.interrupt();
                return written;
            }
        }
        finally {
            stopAll(nodes);
        }
    }

    private boolean awaitReady(List<DemoNode> nodes)
            throws InterruptedException
    {
        long deadline = clock.millis() + READY_TIMEOUT.toMillis();
        long nextReport = clock.millis() + 5_000;
        while (true) {
            List<String> states = new ArrayList<>();
            for (DemoNode node : nodes) {
                String state = node.startState();
                if (state.equals(DemoNode.EXITED) || state.equals(DemoNode.FAILED)) {
                    out.println(node.id() + (state.equals(DemoNode.EXITED) ? " exited during start" : " has a failed pipeline")
                            + "; last lines of " + node.process().logFile() + ":");
                    node.logTail(20).forEach(line -> out.println("  " + line));
                    return false;
                }
                states.add(state);
            }
            if (states.stream().allMatch("READY"::equals)) {
                return true;
            }
            if (stopped.getAsBoolean() || clock.millis() > deadline) {
                out.println("Nodes not ready after " + READY_TIMEOUT.toSeconds() + " s; see the node logs in the data directory");
                return false;
            }
            if (clock.millis() >= nextReport) {
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    labels.add(nodes.get(i).id() + "=" + states.get(i));
                }
                out.println("Waiting for nodes: " + String.join(", ", labels));
                nextReport += 5_000;
            }
            Thread.sleep(1_000);
        }
    }

    private long summarize(NodeSampler sampler, ClusterReport report)
            throws InterruptedException
    {
        long start = clock.millis();
        long interval = settings.summaryInterval().toMillis();
        report.startMeasuring(sampler.sample(), start);
        long end = Long.MAX_VALUE;
        String note = "stopped before the assignment settled; measured from the start of the traffic";
        boolean settled = false;
        long next = start + interval;
        while (!stopped.getAsBoolean() && clock.millis() < end) {
            Thread.sleep(Math.max(1, Math.min(100, next - clock.millis())));
            if (clock.millis() < next) {
                continue;
            }
            List<NodeSample> samples = sampler.sample();
            long now = clock.millis();
            report.print((now - start) / 1000, samples);
            next = now + interval;
            boolean clean = ClusterReport.settled(samples);
            if (!settled && (clean || now - start >= SETTLE_TIMEOUT.toMillis())) {
                settled = true;
                note = clean ? "assignment settled after " + (now - start) / 1000 + " s" : "assignment not settled after " + SETTLE_TIMEOUT.toSeconds() + " s";
                out.println((clean ? "Assignment settled after " + (now - start) / 1000 + " s: every task open on its owner."
                        : "Assignment not settled after " + SETTLE_TIMEOUT.toSeconds() + " s; measuring anyway.")
                        + settings.duration().map(duration -> " Measuring for " + duration.toSeconds() + " s.").orElse(" Measuring until Ctrl-C."));
                report.startMeasuring(samples, now);
                long measureFrom = now;
                end = settings.duration().map(duration -> measureFrom + duration.toMillis()).orElse(Long.MAX_VALUE);
            }
        }
        return report.printResult(sampler.sample(), clock.millis(), note);
    }

    /** SIGTERM to every node at once, then waits for each (killing a node still alive after {@link #STOP_TIMEOUT}). */
    private void stopAll(List<DemoNode> nodes)
    {
        if (nodes.isEmpty()) {
            return;
        }
        out.println("Stopping " + nodes.size() + " nodes (each drains, commits and leaves)...");
        nodes.forEach(node -> node.process().terminate());
        long deadline = clock.millis() + STOP_TIMEOUT.toMillis();
        for (DemoNode node : nodes) {
            out.println("  " + node.id() + " " + node.awaitStopped(Duration.ofMillis(Math.max(1, deadline - clock.millis()))));
        }
    }

    /** {@code --http-port} and the next ports, skipping the schema registry's; or free ports when it is 0. */
    private List<Integer> httpPorts(DemoFormats formats)
    {
        Set<Integer> taken = new HashSet<>();
        formats.registrySettings().url().ifPresent(url -> taken.add(URI.create(url).getPort()));
        List<Integer> ports = new ArrayList<>();
        int candidate = settings.httpPort();
        for (int i = 0; i < settings.nodes(); i++) {
            if (settings.httpPort() == 0) {
                ports.add(FreePorts.pick());
                continue;
            }
            while (taken.contains(candidate)) {
                candidate++;
            }
            ports.add(candidate++);
        }
        return ports;
    }

    private Path writePipeline(Path dataDir, CompiledPipeline pipeline)
    {
        try {
            Path dir = directory(dataDir.resolve("pipelines"));
            Files.writeString(dir.resolve(pipeline.name() + ".yaml"), PipelineSource.text(settings.pipeline()), StandardCharsets.UTF_8);
            return dir;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the pipeline for the node processes", e);
        }
    }

    /**
     * The nodes' config file: a failure timeout of 10 s instead of 5 s, so a node that a busy machine starves of
     * CPU for a few seconds is not declared dead (which would move all its tasks and back).
     */
    private static Path writeNodeConfig(Path dataDir)
    {
        String config = String.join("\n",
                "cluster:",
                "  heartbeat-interval: 1s",
                "  failure-timeout: 10s",
                "");
        try {
            Path file = directory(dataDir).resolve("node.yaml");
            Files.writeString(file, config, StandardCharsets.UTF_8);
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the node config for the node processes", e);
        }
    }

    private static Path directory(Path path)
    {
        try {
            return Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
