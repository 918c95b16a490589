package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A multi-process cluster for the chaos, scaling and fail-over tests: the broker as its own process
 * ({@link BrokerProcess}) holding the known input of a {@link ChaosTraffic} (joined rows written up front, live records
 * fed at a steady rate by a {@link ClickFeeder}), and up to {@code maxNodes} node JVMs ({@code node-1}...) that all
 * list every member's cluster port. Each node has its own state directory (on a small tmpfs of its own when the spec
 * asks for one, see {@link StateDisk}), HTTP port, admin port and log; {@link #view} reads a node's {@code /cluster}
 * endpoint. An {@link OutputRecorder} reads the output topic for the whole run and {@link #finish} ends with the
 * {@link OutputChecker}'s report. Every step is printed on the {@link Timeline}.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class ClusterHarness
        implements AutoCloseable
{
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    static final String ADMIN_TOKEN = "chaos-admin-token";
    private static final String MAIN_CLASS = "io.kaflowsql.node.cli.KaflowSql";
    /** Longer than a node's own drain on SIGTERM (60 s) plus its commit and close. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

    /**
     * What to run.
     *
     * @param minSize {@code cluster.min-size}: a side with fewer members stops processing
     * @param exactlyOnce {@code processing.guarantee}: exactly_once, else at_least_once
     * @param stateDiskBytes size of each node's tmpfs state directory; 0 keeps state on the machine's disk
     */
    record Spec(int maxNodes, int partitions, ClusterNetwork network, int minSize, boolean exactlyOnce, ChaosTraffic traffic,
            double recordsPerSecond, long stateDiskBytes)
    {
        Spec
        {
            requireNonNull(network, "network is null");
            requireNonNull(traffic, "traffic is null");
        }
    }

    private final Path dir;
    private final Spec spec;
    private final Timeline timeline;
    private final BrokerProcess broker;
    private final ClickFeeder feeder;
    private final OutputRecorder recorder;
    private final Map<String, Map<Integer, Long>> initialEnds;
    private final ExpectedClicks expected;
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> adminPorts = new ArrayList<>();
    private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<Integer, StateDisk> disks = new LinkedHashMap<>();
    private final Set<Integer> paused = new TreeSet<>();
    private final List<NodeProcess> all = new ArrayList<>();
    private final List<String> shutdownProblems = new ArrayList<>();
    private List<String> defaultSystemProperties = List.of();

    /** A loopback cluster of {@code clicks} clicks (no row changes), exactly-once, min-size 1. */
    ClusterHarness(Path dir, int maxNodes, int clicks, double clicksPerSecond, int partitions)
            throws Exception
    {
        this(dir, maxNodes, clicks, clicksPerSecond, partitions, ClusterNetwork.LOOPBACK, 1);
    }

    ClusterHarness(Path dir, int maxNodes, int clicks, double clicksPerSecond, int partitions, ClusterNetwork network, int minSize)
            throws Exception
    {
        this(dir, new Spec(maxNodes, partitions, network, minSize, true, ChaosTraffic.generate(42, clicks, 0), clicksPerSecond, 0), new Timeline());
    }

    ClusterHarness(Path dir, Spec spec, Timeline timeline)
            throws Exception
    {
        this.dir = requireNonNull(dir, "dir is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.timeline = requireNonNull(timeline, "timeline is null");
        this.expected = new ExpectedClicks(spec.traffic().live());
        Files.createDirectories(dir.resolve("pipelines"));
        Files.copy(CrashScenario.SEED_PIPELINE, dir.resolve("pipelines").resolve("pipeline.yaml"), StandardCopyOption.REPLACE_EXISTING);
        for (int i = 0; i < spec.maxNodes(); i++) {
            clusterPorts.add(FreePorts.pick());
            httpPorts.add(FreePorts.pick());
            adminPorts.add(FreePorts.pick());
            StateDisk disk = new StateDisk(dir.resolve("node-" + (i + 1)).resolve("state"));
            disks.put(i + 1, disk);
            if (spec.stateDiskBytes() > 0) {
                disk.mount(spec.stateDiskBytes());
            }
        }
        try {
            this.broker = BrokerProcess.start(dir.resolve("broker"), spec.network().brokerHost(), FreePorts.pick(), spec.partitions());
        }
        catch (Exception | Error e) {
            disks.values().forEach(StateDisk::close);
            throw e;
        }
        try {
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (String topic : PersonalizationTopics.INPUTS) {
                topics.put(topic, spec.partitions());
            }
            topics.put(PersonalizationTopics.PERSONALIZED_EVENTS, spec.partitions());
            KafkaTopics.create(broker.bootstrapServers(), topics);
            ClickFeeder.writeAll(broker.bootstrapServers(), spec.traffic().initialRows());
            this.initialEnds = EndOfRunCheck.initialEnds(broker.bootstrapServers());
            this.feeder = new ClickFeeder(broker.bootstrapServers(), spec.traffic().live(), spec.recordsPerSecond());
            this.recorder = new OutputRecorder(broker.bootstrapServers(), PersonalizationTopics.PERSONALIZED_EVENTS, spec.partitions());
        }
        catch (Exception | Error e) {
            broker.close();
            disks.values().forEach(StateDisk::close);
            throw e;
        }
        log("broker %s (pid %d), %d live records (%d clicks, %d pass WHERE) at %.0f/s, %d partitions, %s, min-size %d, cluster ports %s",
                broker.bootstrapServers(), broker.pid(), spec.traffic().live().size(), spec.traffic().clicks(), expected.count(), spec.recordsPerSecond(),
                spec.partitions(), spec.exactlyOnce() ? "exactly_once" : "at_least_once", spec.minSize(), clusterPorts);
    }

    /** Starts {@code node-<number>} (1-based) and waits until it is READY. */
    NodeProcess start(int number)
            throws InterruptedException
    {
        return start(number, List.of());
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
        NodeProcess running = nodes.get(number);
        if (running != null && running.isAlive()) {
            throw new IllegalStateException("node-" + number + " still runs (" + running.name() + ")");
        }
        String id = "node-" + number;
        Path nodeDir = dir.resolve(id);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < clusterPorts.size(); i++) {
            members.add(spec.network().nodeHost(i + 1) + ":" + clusterPorts.get(i));
        }
        List<String> command = new ArrayList<>(spec.network().commandPrefix(number));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + NodeConfigFile.mkdirs(nodeDir.resolve("tmp"))));
        command.addAll(defaultSystemProperties);
        command.addAll(systemProperties);
        command.addAll(NodeJvm.HAZELCAST_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "node",
                "--config", NodeConfigFile.write(nodeDir, spec, broker.bootstrapServers(), dir.resolve("pipelines"), ADMIN_TOKEN).toString(),
                "--node-id", id, "--cluster-host", spec.network().nodeHost(number),
                "--cluster-port", Integer.toString(clusterPorts.get(number - 1)), "--cluster-members", String.join(",", members),
                "--admin-port", Integer.toString(adminPorts.get(number - 1)), "--http-port", Integer.toString(httpPorts.get(number - 1)), "--format", "json"));
        NodeProcess node = NodeProcess.start(id + "#" + (all.size() + 1), command, nodeDir.resolve("node-" + (all.size() + 1) + ".log"));
        nodes.put(number, node);
        paused.remove(number);
        all.add(node);
        log("%s started (pid %d)%s", node.name(), node.pid(), systemProperties.isEmpty() ? "" : " with " + systemProperties);
        return node;
    }

    /** Waits until the running {@code node-<number>} is READY. */
    void awaitReady(int number)
            throws InterruptedException
    {
        NodeProcess node = nodes.get(number);
        if (!node.awaitReady(READY_TIMEOUT)) {
            throw failure(node.name() + (node.isAlive() ? " not ready within " + READY_TIMEOUT.toSeconds() + " s" : " exited before it was ready"));
        }
        log("%s ready", node.name());
    }

    /** SIGSTOP of {@code node-<number>}; it stays in {@link #running} but not in {@link #awake}. */
    void pause(int number)
    {
        nodes.get(number).pause();
        paused.add(number);
    }

    void resume(int number)
    {
        nodes.get(number).resume();
        paused.remove(number);
    }

    /** SIGTERM (resumed first if paused); true if it exited within the timeout. */
    boolean stop(int number, Duration timeout)
            throws InterruptedException
    {
        resume(number);
        return nodes.get(number).stop(timeout);
    }

    /** Numbers of the nodes whose process runs (paused ones included). */
    Set<Integer> running()
    {
        Set<Integer> running = new TreeSet<>();
        nodes.forEach((number, node) -> {
            if (node.isAlive()) {
                running.add(number);
            }
        });
        return running;
    }

    /** Numbers of the nodes that run and are not paused. */
    Set<Integer> awake()
    {
        Set<Integer> awake = running();
        awake.removeAll(paused);
        return awake;
    }

    /** System properties every later node start gets (e.g. the N+1 switch once a rolling upgrade began). */
    void setDefaultSystemProperties(List<String> properties)
    {
        defaultSystemProperties = List.copyOf(properties);
    }

    /** {@code host:port} of the admin API of {@code node-<number>}. */
    String adminAddress(int number)
    {
        return spec.network().nodeHost(number) + ":" + adminPorts.get(number - 1);
    }

    /** The {@code /cluster} view of a running node; empty if it does not answer. */
    Optional<JsonNode> view(int number)
    {
        return new NodeHttpProbe(spec.network().nodeHost(number), httpPorts.get(number - 1)).cluster();
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

    /** The leader's number as the first awake node that answers sees it; empty if none answers. */
    Optional<Integer> leader()
    {
        for (int number : awake()) {
            Optional<String> leader = view(number).map(json -> json.path("leader").asText(""));
            if (leader.isPresent() && leader.get().startsWith("node-")) {
                return Optional.of(Integer.parseInt(leader.get().substring("node-".length())));
            }
        }
        return Optional.empty();
    }

    /** Waits until {@code condition} holds (checked every 250 ms); fails the test with the node logs otherwise. */
    void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        if (!poll(timeout, condition)) {
            throw failure("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
        log("%s", what);
    }

    /** Polls {@code condition} every 250 ms until it holds (true) or the timeout passed (false). */
    boolean poll(Duration timeout, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            recorder.checkFailure();
            Thread.sleep(250);
        }
        return true;
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

    /** Distinct event ids read from the output topic so far. */
    int outputEventIds()
    {
        return recorder.distinctEventIds();
    }

    /** Whether every click that passes WHERE and was acknowledged so far has been read from the output. */
    boolean caughtUp()
    {
        return caughtUpTo(feeder.sent());
    }

    /** Whether every click that passes WHERE among the first {@code written} live records has been read from the output. */
    boolean caughtUpTo(int written)
    {
        return expected.allSeenUpTo(written, recorder);
    }

    ClickFeeder feeder()
    {
        return feeder;
    }

    NodeProcess node(int number)
    {
        return nodes.get(number);
    }

    BrokerProcess broker()
    {
        return broker;
    }

    StateDisk disk(int number)
    {
        return disks.get(number);
    }

    Spec spec()
    {
        return spec;
    }

    Timeline timeline()
    {
        return timeline;
    }

    /** The network namespaces the nodes run in, when they do (network faults need them). */
    Optional<NetworkNamespaces> namespaces()
    {
        return spec.network() instanceof NetworkNamespaces namespaces ? Optional.of(namespaces) : Optional.empty();
    }

    /** Lets the rest of the input go, waits until it is written and the output holds every click that passes WHERE, then checks. */
    ChaosReport finish()
            throws InterruptedException
    {
        feeder.release(feeder.total());
        feeder.awaitDone(Duration.ofSeconds(Math.round(feeder.total() / spec.recordsPerSecond()) + 180));
        log("all %d live records written", feeder.total());
        ChaosReport report = stopAndCheck(Duration.ofSeconds(120));
        if (!shutdownProblems.isEmpty()) {
            throw failure(String.join("\n", shutdownProblems));
        }
        return report;
    }

    /**
     * Stops the input where it is, waits up to {@code timeout} for the output to hold every click that passes WHERE
     * (checks anyway if it does not: what is missing is then reported lost), stops every node and checks.
     */
    ChaosReport stopAndCheck(Duration timeout)
            throws InterruptedException
    {
        feeder.halt(Duration.ofMinutes(11));
        log("input stopped after %d of %d live records", feeder.sent(), feeder.total());
        if (!poll(timeout, this::caughtUp)) {
            log("the output still misses clicks after %d s; checking what is there", timeout.toSeconds());
        }
        else {
            log("output holds every click that passes WHERE");
        }
        for (int number : running()) {
            if (!stop(number, STOP_TIMEOUT)) {
                shutdownProblems.add("node-" + number + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM (thread dump in its log)");
                nodes.get(number).dumpThreads();
                nodes.get(number).kill();
            }
        }
        log("every node stopped; reading the input back, auditing the output log");
        return EndOfRunCheck.perform(broker.bootstrapServers(), broker.logDir(), spec.partitions(), spec.exactlyOnce(), initialEnds, feeder, recorder,
                timeline);
    }

    /** What went wrong stopping the nodes at the end of {@link #stopAndCheck} (a node that ignored SIGTERM). */
    List<String> shutdownProblems()
    {
        return List.copyOf(shutdownProblems);
    }

    /** The last lines of every node process and of the broker, for failure messages. */
    String nodeOutput()
    {
        StringBuilder text = new StringBuilder();
        for (NodeProcess node : all) {
            text.append("---- last 60 lines of ").append(node.name()).append(" ----\n");
            node.tail(60).forEach(line -> text.append(line).append('\n'));
        }
        text.append("---- last 20 lines of the broker ----\n");
        broker.tail(20).forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    void log(String format, Object... args)
    {
        timeline.log(format, args);
    }

    AssertionError failure(String message)
    {
        return new AssertionError(message + "\n" + nodeOutput());
    }

    @Override
    public void close()
            throws Exception
    {
        for (NodeProcess node : all) {
            node.resume();
            node.close();
        }
        feeder.close();
        recorder.close();
        broker.close();
        for (StateDisk disk : disks.values()) {
            disk.close();
        }
        for (Map.Entry<Integer, NodeProcess> node : nodes.entrySet()) {
            NodeLogs.keep(dir.resolve("node-" + node.getKey()), "cluster-node-" + node.getKey());
        }
        NodeLogs.keep(dir.resolve("broker"), "cluster-broker");
    }
}
