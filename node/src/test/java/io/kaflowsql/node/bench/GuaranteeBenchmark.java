package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.node.internal.runtime.KaflowNode;
import io.kaflowsql.pipelines.personalization.DimensionCounts;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.LatencySnapshot;
import io.kaflowsql.pipelines.personalization.OutputLatencyProbe;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.TrafficClock;
import io.kaflowsql.pipelines.personalization.TrafficMix;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static io.kaflowsql.engine.api.runtime.ProcessingGuarantee.AT_LEAST_ONCE;
import static io.kaflowsql.engine.api.runtime.ProcessingGuarantee.EXACTLY_ONCE;

/**
 * What exactly-once costs against at-least-once, end to end on the embedded broker (one JVM: broker,
 * node, producers and readers share the machine). Two measurements:
 * <ol>
 * <li>Drain throughput: clicks are produced before the node starts; a fresh node (own cluster name,
 * consumer group, state directory and output topic) works the backlog off. Throughput is clicks
 * processed per second from the first to the last (polling {@code recordsIn(0)}), which leaves out
 * start-up (dimension and purchase-history load). The guarantees alternate so slow phases of a shared
 * machine hit both. After each run the output topic is read {@code read_committed} and its count and
 * distinct event ids are checked against the node's {@code recordsOut}.</li>
 * <li>Latency at a fixed rate: clicks to a fresh topic at {@code --latency-rate}, latency = time the
 * enriched record is read ({@code read_committed}) minus the click's record timestamp, after a warm-up.</li>
 * </ol>
 * Run by {@code scripts/bench-guarantees.sh}. Not thread-safe; one run per JVM.
 */
@Command(name = "bench-guarantees", mixinStandardHelpOptions = true,
        description = "Drain throughput and fixed-rate latency of the seed pipeline under at_least_once and exactly_once.")
public final class GuaranteeBenchmark
        implements Callable<Integer>
{
    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--clicks", defaultValue = "100000", description = "Clicks pre-produced for the drain runs (default ${DEFAULT-VALUE}).")
    long clicks;

    @Option(names = "--warmup-clicks", defaultValue = "30000",
            description = "Clicks of an unmeasured exactly_once run first, so the JIT is warm for the first measured run; 0 skips it (default ${DEFAULT-VALUE}).")
    long warmupClicks;

    @Option(names = "--users", defaultValue = "20000", description = "User profiles (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "5000", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic = tasks (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--runs", defaultValue = "3", description = "Drain runs per guarantee, alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--commit-interval", defaultValue = "100ms", description = "processing.commit-interval (default ${DEFAULT-VALUE}).")
    String commitInterval;

    @Option(names = "--latency-runs", defaultValue = "1", description = "Fixed-rate runs per guarantee; 0 skips them (default ${DEFAULT-VALUE}).")
    int latencyRuns;

    @Option(names = "--latency-rate", defaultValue = "2000", description = "Clicks per second in the latency runs (default ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--latency-duration", defaultValue = "30s", description = "Measured time of a latency run (default ${DEFAULT-VALUE}).")
    String latencyDuration;

    @Option(names = "--latency-warmup", defaultValue = "10s", description = "Warm-up before latency is recorded (default ${DEFAULT-VALUE}).")
    String latencyWarmup;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Seed pipeline file (default ${DEFAULT-VALUE}).")
    Path seedPipeline;

    @Option(names = "--data-dir", description = "Broker and state directory (default: a temporary directory, removed at the end).")
    Path dataDir;

    private final List<DrainRun> drains = new ArrayList<>();
    private final List<LatencyRun> latencies = new ArrayList<>();

    /** One drain run: throughput, CPU per click, and what the output topic holds. */
    record DrainRun(ProcessingGuarantee guarantee, long processed, long drainMillis, long startupMillis, double cpuMicrosPerClick,
            long commits, long recordsOut, OutputTopicCount topic)
    {
        double clicksPerSecond()
        {
            return processed * 1000.0 / Math.max(1, drainMillis);
        }
    }

    record LatencyRun(ProcessingGuarantee guarantee, long sent, long out, LatencySnapshot latency) {}

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new GuaranteeBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        Duration interval = duration(commitInterval);
        Path dir = dataDir != null ? dataDir : BenchMachine.temporaryDirectory("kaflowsql-bench-guarantees-");
        System.out.println("START " + BenchMachine.load());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, partitions)) {
            Map<String, Integer> topics = new LinkedHashMap<>();
            PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, partitions));
            broker.createTopics(topics, Map.of());
            PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults()
                    .withUsers(users).withProducts(products).withPurchaseHistoryShare(0.926).withStartEpochMillis(CLOCK.millis()));
            produceInputs(broker, dataset);
            if (warmupClicks > 0 && runs > 0) {
                drain(broker, dir, "warmup", EXACTLY_ONCE, interval, Math.min(clicks, warmupClicks));
            }
            for (int run = 0; run < 2 * runs; run++) {
                ProcessingGuarantee guarantee = run % 2 == 0 ? AT_LEAST_ONCE : EXACTLY_ONCE;
                DrainRun result = drain(broker, dir, "drain" + run + "_" + shortName(guarantee), guarantee, interval, clicks);
                System.out.printf(Locale.ROOT, "RUN %-2d %-13s %,9.0f clicks/s (%,d clicks in %,d ms), CPU %.1f µs/click, start-up %,d ms, "
                                + "%,d task commits, out %,d (topic %,d records, %,d distinct event ids); %s%n",
                        run + 1, guarantee.configName(), result.clicksPerSecond(), result.processed(), result.drainMillis(), result.cpuMicrosPerClick(),
                        result.startupMillis(), result.commits(), result.recordsOut(), result.topic().records(), result.topic().distinctEventIds(),
                        BenchMachine.load());
                drains.add(result);
            }
            for (int run = 0; run < 2 * latencyRuns; run++) {
                latencies.add(latency(broker, dir, dataset, run, run % 2 == 0 ? AT_LEAST_ONCE : EXACTLY_ONCE, interval));
            }
        }
        finally {
            if (dataDir == null) {
                BenchMachine.deleteRecursively(dir);
            }
        }
        new GuaranteeReport(drains, latencies, clicks, partitions, interval, latencyRate).print(System.out);
        System.out.println("END " + BenchMachine.load());
        return 0;
    }

    private void produceInputs(EmbeddedKafkaBroker broker, PersonalizationDataset dataset)
    {
        long start = System.nanoTime();
        try (TrafficProducer traffic = TrafficProducer.connect(broker.bootstrapServers(), dataset, TrafficMix.DEFAULT, TrafficClock.system(CLOCK))) {
            DimensionCounts loaded = traffic.loadDimensions(Integer.MAX_VALUE, (topic, sent, total) -> {});
            if (traffic.recordsFailed() > 0) {
                throw new IllegalStateException("could not produce the dimensions", traffic.firstFailure().orElse(null));
            }
            System.out.printf(Locale.ROOT, "Produced %d profiles, %d products, %d purchase histories%n",
                    loaded.userProfiles(), loaded.products(), loaded.purchaseHistory());
        }
        try (ClickSender sender = new ClickSender(broker.bootstrapServers(), dataset, PersonalizationTopics.CLICKSTREAMS, CLOCK)) {
            sender.sendAll(clicks);
        }
        System.out.printf(Locale.ROOT, "Produced %d clicks to %s; inputs ready in %.1f s%n", clicks, PersonalizationTopics.CLICKSTREAMS,
                (System.nanoTime() - start) / 1e9);
    }

    /** Runs a fresh node until {@code target} clicks were processed, closes it, and reads its output topic. */
    private DrainRun drain(EmbeddedKafkaBroker broker, Path dir, String name, ProcessingGuarantee guarantee, Duration interval, long target)
            throws Exception
    {
        String output = name + "-out";
        Path state = dir.resolve(name);
        CompiledPipeline pipeline = BenchNodes.seedPipeline(seedPipeline, PersonalizationTopics.CLICKSTREAMS, output);
        System.gc();
        long start = System.nanoTime();
        long first = 0;
        long firstCount = 0;
        long firstCpu = 0;
        long last;
        long lastCpu;
        PipelineMetrics metrics;
        try (KaflowNode node = KaflowNode.start(BenchNodes.config(broker.bootstrapServers(), name, state, guarantee, interval), List.of(pipeline), CLOCK)) {
            PipelineRuntime runtime = node.runtimes().get(0);
            metrics = runtime.metrics();
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (true) {
                long in = metrics.recordsIn(0);
                long now = System.nanoTime();
                if (first == 0 && in > 0) {
                    first = now;
                    firstCount = in;
                    firstCpu = BenchMachine.processCpuNanos();
                }
                if (in >= target) {
                    last = now;
                    lastCpu = BenchMachine.processCpuNanos();
                    break;
                }
                check(runtime, now < deadline, name, in);
                Thread.sleep(5);
            }
        }
        long processed = target - firstCount;
        OutputTopicCount topic = OutputTopicCount.read(broker.bootstrapServers(), output, metrics.recordsOut());
        DrainRun result = new DrainRun(guarantee, processed, TimeUnit.NANOSECONDS.toMillis(last - first), TimeUnit.NANOSECONDS.toMillis(first - start),
                (lastCpu - firstCpu) / 1000.0 / Math.max(1, processed), metrics.commitCount(), metrics.recordsOut(), topic);
        BenchMachine.deleteRecursively(state);
        return result;
    }

    private LatencyRun latency(EmbeddedKafkaBroker broker, Path dir, PersonalizationDataset dataset, int run, ProcessingGuarantee guarantee,
            Duration interval)
            throws Exception
    {
        String name = "latency" + run + "_" + shortName(guarantee);
        String clicksTopic = name + "_clicks";
        String output = name + "-out";
        broker.createTopics(Map.of(clicksTopic, partitions), Map.of());
        CompiledPipeline pipeline = BenchNodes.seedPipeline(seedPipeline, clicksTopic, output);
        Duration warmup = duration(latencyWarmup);
        Duration measured = duration(latencyDuration);
        System.gc();
        try (KaflowNode node = KaflowNode.start(BenchNodes.config(broker.bootstrapServers(), name, dir.resolve(name), guarantee, interval),
                List.of(pipeline), CLOCK);
                OutputLatencyProbe probe = OutputLatencyProbe.connect(broker.bootstrapServers(), output, name + "-probe",
                        OutputLatencyProbe.StartPosition.EARLIEST, CLOCK);
                ClickSender sender = new ClickSender(broker.bootstrapServers(), dataset, clicksTopic, CLOCK)) {
            if (!node.awaitReady(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + ": node not ready within 5 minutes: " + node.runtimes().get(0).state());
            }
            probe.start();
            if (!probe.awaitAssignment(Duration.ofSeconds(60))) {
                throw new IllegalStateException(name + ": latency probe got no partitions of " + output);
            }
            long[] sent = new long[1];
            Thread traffic = new Thread(() -> {
                try {
                    sent[0] = sender.sendPaced(latencyRate, warmup.plus(measured));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-clicks");
            traffic.start();
            Thread.sleep(warmup.toMillis());
            probe.reset();
            PipelineMetrics metrics = node.runtimes().get(0).metrics();
            long outAtWarmup = metrics.recordsOut();
            Thread.sleep(measured.toMillis());
            LatencySnapshot latency = probe.snapshot();
            long out = metrics.recordsOut() - outAtWarmup;
            traffic.join();
            LatencyRun result = new LatencyRun(guarantee, sent[0], out, latency);
            System.out.printf(Locale.ROOT, "LATENCY %-2d %-13s p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms over %,d records "
                            + "(%,.0f enriched/s out, %,d clicks sent); %s%n",
                    run + 1, guarantee.configName(), latency.p50Micros() / 1000.0, latency.p95Micros() / 1000.0, latency.p99Micros() / 1000.0,
                    latency.maxMicros() / 1000.0, latency.count(), out / (double) measured.toSeconds(), sent[0], BenchMachine.load());
            return result;
        }
        finally {
            BenchMachine.deleteRecursively(dir.resolve(name));
        }
    }

    private static void check(PipelineRuntime runtime, boolean inTime, String run, long processed)
    {
        if (runtime.state() == PipelineRuntime.State.FAILED) {
            throw new IllegalStateException(run + ": the pipeline failed");
        }
        if (!inTime) {
            throw new IllegalStateException(run + ": only " + processed + " clicks processed after 10 minutes (" + runtime.state() + ")");
        }
    }

    private static String shortName(ProcessingGuarantee guarantee)
    {
        return guarantee == EXACTLY_ONCE ? "eos" : "alo";
    }

    private static Duration duration(String text)
    {
        return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException("not a duration (e.g. 100ms, 30s): " + text));
    }
}
