package io.kaflowsql.node.bench;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Maximum sustained processing rate of a cluster of 1, 2 and 3 nodes on this machine. A backlog of
 * {@code --clicks} clicks (plus the dimensions and purchase histories) is written before any node starts;
 * each run starts k node processes with their own cluster name, consumer group, state and output topic
 * (so every run reads the whole backlog from the start), {@code cluster.min-size} k (nothing is processed
 * until all k are members), waits until the tasks are spread over all k nodes and have read the purchase
 * histories (a task reads its event tables to their end before its clicks), and {@code --warmup} seconds
 * more, then counts the clicks the nodes read ({@code kaflowsql_records_in_total{source="clickstreams"}}
 * from each node's {@code /metrics}) and the results they wrote over {@code --window} seconds. The nodes,
 * the broker and this JVM share the machine's cores, so the report gives events per second in total, per
 * node and per core, and the CPU the node processes used.
 *
 * <p>Run by {@code scripts/bench-cluster.sh}. Not thread-safe; one run per JVM.
 */
@Command(name = "bench-cluster-throughput", mixinStandardHelpOptions = true,
        description = "Sustained processing rate of 1, 2 and 3 nodes draining a backlog, in total, per node and per core.")
public final class ClusterThroughputBenchmark
        implements Callable<Integer>
{
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final String PIPELINE = "personalization_engine";

    @Option(names = "--clicks", defaultValue = "2000000", description = "Clicks in the backlog; each run reads it from the start (default ${DEFAULT-VALUE}).")
    int clicks;

    @Option(names = "--nodes", defaultValue = "1,2,3", split = ",", description = "Cluster sizes to measure (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--runs", defaultValue = "2", description = "Runs of each cluster size, sizes alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic = tasks (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--warmup", defaultValue = "15", description = "Seconds between the tasks being spread and the window (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--window", defaultValue = "30", description = "Seconds over which the rate is measured (default ${DEFAULT-VALUE}).")
    int windowSeconds;

    @Option(names = "--users", defaultValue = "20000", description = "User profiles (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "5000", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--guarantee", defaultValue = "exactly_once", description = "processing.guarantee (default ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--node-heap", defaultValue = "1g", description = "-Xmx of each node JVM (default ${DEFAULT-VALUE}).")
    String nodeHeap;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Seed pipeline file (default ${DEFAULT-VALUE}).")
    Path seedPipeline;

    @Option(names = "--data-dir", description = "Broker, node state and node logs (default: a temporary directory, removed at the end).")
    Path dataDir;

    /** One measured window of a cluster of {@code nodes} nodes. */
    record Result(int nodes, double inPerSecond, double outPerSecond, Map<String, Double> inPerNode, double nodeCores, double benchCores, boolean backlogLeft)
    {
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new ClusterThroughputBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("START " + BenchMachine.load());
        System.out.printf(Locale.ROOT, "METHOD backlog of %,d clicks on %d partitions (= tasks), %,d users, %,d products, %s; cluster sizes %s, %d run(s) each, "
                + "each on a fresh cluster name, consumer group, state and output topic; node heap %s (G1); rate over %d s after the tasks are spread "
                + "and %d s of warm-up%n", clicks, partitions, users, products, guarantee, sizes, runs, nodeHeap, windowSeconds, warmupSeconds);
        System.out.printf(Locale.ROOT, "METHOD this machine has %d cores; the k node JVMs, the broker and the benchmark JVM (in one process) share them all, "
                + "so per core = total / %d whatever k is, and 'node CPU' = cores the node processes kept busy during the window%n", cores, cores);
        Path dir = dataDir != null ? BenchCluster.mkdirs(dataDir) : BenchMachine.temporaryDirectory("kaflowsql-bench-throughput-");
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, partitions)) {
            prepareInput(broker);
            for (int run = 1; run <= runs; run++) {
                for (int size : sizes) {
                    Result result = measure(broker, dir.resolve("run-" + run + "-k" + size), size, run);
                    results.add(result);
                    print(run, result, cores);
                }
            }
        }
        finally {
            if (dataDir == null) {
                BenchMachine.deleteRecursively(dir);
            }
        }
        summarize(results, cores);
        System.out.println("END " + BenchMachine.load());
        return 0;
    }

    private void prepareInput(EmbeddedKafkaBroker broker)
    {
        Map<String, Integer> topics = new LinkedHashMap<>();
        PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, partitions));
        broker.createTopics(topics, Map.of());
        long start = System.nanoTime();
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(users).withProducts(products)
                .withStartEpochMillis(CLOCK.millis()));
        BenchInput.produceDimensions(broker.bootstrapServers(), dataset);
        BenchInput.produce(broker.bootstrapServers(), dataset.purchaseHistoryStream());
        BenchInput.produce(broker.bootstrapServers(), Stream.generate(() -> dataset.nextClick(CLOCK.millis())).limit(clicks));
        System.out.printf(Locale.ROOT, "Produced the dimensions, %,d purchase histories and %,d clicks in %.1f s%n", dataset.purchaseHistoryCount(), clicks,
                (System.nanoTime() - start) / 1e9);
    }

    private Result measure(EmbeddedKafkaBroker broker, Path dir, int size, int run)
            throws Exception
    {
        String name = "tp" + run + "k" + size;
        String output = PersonalizationTopics.PERSONALIZED_EVENTS + "_" + name;
        broker.createTopics(Map.of(output, partitions), Map.of());
        Path pipelines = BenchCluster.mkdirs(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("pipeline.yaml"), BenchNodes.seedPipelineText(seedPipeline, PersonalizationTopics.CLICKSTREAMS, output));
        try (BenchCluster cluster = new BenchCluster(name, broker.bootstrapServers(), pipelines, dir, size, List.of("-Xmx" + nodeHeap, "-XX:+UseG1GC"),
                "processing: { guarantee: " + guarantee + " }\n", size)) {
            List<BenchNode> nodes = new ArrayList<>();
            for (int number = 1; number <= size; number++) {
                nodes.add(cluster.start(number));
            }
            long start = System.nanoTime();
            cluster.await("tasks spread over " + size + " node(s)", START_TIMEOUT, () -> spread(nodes));
            // a task reads its event-table partitions to their end before its clicks (EventTableCatchUp): not the rate to measure
            cluster.await("purchase histories read", START_TIMEOUT,
                    () -> BenchInput.caughtUp(broker.bootstrapServers(), cluster.streamGroup(PIPELINE), PersonalizationTopics.PURCHASE_HISTORY));
            System.out.printf(Locale.ROOT, "  %d node(s): tasks spread and purchase histories read %.1f s after the start: %s%n", size,
                    (System.nanoTime() - start) / 1e9, owned(nodes));
            Thread.sleep(warmupSeconds * 1000L);
            Map<String, Double> inBefore = counters(nodes, "kaflowsql_records_in_total", "source=\"clickstreams\"");
            Map<String, Double> outBefore = counters(nodes, "kaflowsql_records_out_total", "");
            long nodeCpuBefore = nodes.stream().mapToLong(BenchNode::cpuNanos).sum();
            long benchCpuBefore = BenchMachine.processCpuNanos();
            Map<String, Set<Integer>> ownedBefore = owned(nodes);
            long windowStart = System.nanoTime();
            Thread.sleep(windowSeconds * 1000L);
            Map<String, Double> inAfter = counters(nodes, "kaflowsql_records_in_total", "source=\"clickstreams\"");
            Map<String, Double> outAfter = counters(nodes, "kaflowsql_records_out_total", "");
            long nodeCpu = nodes.stream().mapToLong(BenchNode::cpuNanos).sum() - nodeCpuBefore;
            long benchCpu = BenchMachine.processCpuNanos() - benchCpuBefore;
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            if (!owned(nodes).equals(ownedBefore)) {
                System.out.printf(Locale.ROOT, "  WARNING the assignment changed during the window: %s -> %s%n", ownedBefore, owned(nodes));
            }
            Map<String, Double> inPerNode = new TreeMap<>();
            inAfter.forEach((node, value) -> inPerNode.put(node, (value - inBefore.getOrDefault(node, 0.0)) / seconds));
            double out = outAfter.entrySet().stream().mapToDouble(entry -> entry.getValue() - outBefore.getOrDefault(entry.getKey(), 0.0)).sum() / seconds;
            boolean backlogLeft = !BenchInput.caughtUp(broker.bootstrapServers(), cluster.streamGroup(PIPELINE), PersonalizationTopics.CLICKSTREAMS);
            return new Result(size, inPerNode.values().stream().mapToDouble(Double::doubleValue).sum(), out, inPerNode, nodeCpu / 1e9 / seconds,
                    benchCpu / 1e9 / seconds, backlogLeft);
        }
    }

    private boolean spread(List<BenchNode> nodes)
    {
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (BenchNode node : nodes) {
            Set<Integer> owned = node.owned();
            if (owned.isEmpty()) {
                return false;
            }
            all.addAll(owned);
            total += owned.size();
        }
        return all.size() == partitions && total == partitions;
    }

    private static Map<String, Set<Integer>> owned(List<BenchNode> nodes)
    {
        Map<String, Set<Integer>> owned = new TreeMap<>();
        nodes.forEach(node -> owned.put(node.id(), node.owned()));
        return owned;
    }

    /** Each node's counter; a node slow to answer (a busy machine) is asked again for up to 30 s. */
    private static Map<String, Double> counters(List<BenchNode> nodes, String metric, String labels)
            throws InterruptedException
    {
        Map<String, Double> values = new TreeMap<>();
        for (BenchNode node : nodes) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Optional<Double> value = node.metric(metric, labels);
            while (value.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                value = node.metric(metric, labels);
            }
            values.put(node.id(), value.orElseThrow(() -> new IllegalStateException(node.id() + " did not answer /metrics for 30 s")));
        }
        return values;
    }

    private static void print(int run, Result result, int cores)
    {
        System.out.printf(Locale.ROOT, "RUN %d %d node(s): %,8.0f clicks/s in, %,8.0f results/s out; per node %s; per core %,.0f/s; node CPU %.2f cores "
                        + "(%,.0f clicks per node-CPU-second); broker + bench JVM CPU %.2f cores%s%n  %s%n",
                run, result.nodes(), result.inPerSecond(), result.outPerSecond(),
                result.inPerNode().entrySet().stream().map(entry -> String.format(Locale.ROOT, "%s=%,.0f/s", entry.getKey(), entry.getValue()))
                        .collect(Collectors.joining(" ")),
                result.inPerSecond() / cores, result.nodeCores(), result.inPerSecond() / Math.max(0.01, result.nodeCores()), result.benchCores(),
                result.backlogLeft() ? "" : "; WARNING the backlog ran out before the end of the window: raise --clicks", BenchMachine.load());
    }

    private void summarize(List<Result> results, int cores)
    {
        for (int size : sizes) {
            Samples in = new Samples();
            Samples nodeCores = new Samples();
            results.stream().filter(result -> result.nodes() == size).forEach(result -> {
                in.add(result.inPerSecond());
                nodeCores.add(result.nodeCores());
            });
            System.out.printf(Locale.ROOT, "SUMMARY %d node(s): median %,.0f clicks/s total (runs %s), %,.0f per node, %,.0f per core of %d; node CPU median %.2f cores%n",
                    size, in.median(), in.all("%.0f"), in.median() / size, in.median() / cores, cores, nodeCores.median());
        }
    }
}
