package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.runtime.KaflowNode;
import io.kaflowsql.pipelines.personalization.DimensionCounts;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.OutputLatencyProbe;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.TrafficClock;
import io.kaflowsql.pipelines.personalization.TrafficMix;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The embedded default: a real Kafka broker in this process, generated personalization traffic, the
 * seed pipeline on a local node, and a live summary until stopped.
 *
 * <p>Lifecycle: {@link #run()} blocks until the duration passes or {@link #stop()} is called (Ctrl-C).
 */
public final class DemoRunner
{
    private final DemoSettings settings;
    private final PrintStream out;
    private final Clock clock;
    private volatile boolean stopped;

    public DemoRunner(DemoSettings settings, PrintStream out, Clock clock)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.out = requireNonNull(out, "out is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void stop()
    {
        stopped = true;
    }

    /** Runs the demo; returns the number of enriched events written. */
    public long run()
            throws Exception
    {
        CompiledPipeline pipeline = PipelineSource.load(settings.pipeline(), definition -> definition.withOutputFormat(settings.format()));
        Path dataDir = settings.dataDir().orElseGet(DemoRunner::temporaryDirectory);
        out.println("KaflowSQL demo: pipeline " + pipeline.name() + " (output as " + settings.format().yamlName() + ", data in " + dataDir + ")");
        try (DemoKafka broker = settings.bootstrapServers().<DemoKafka>map(servers -> ExternalKafka.connect(servers, out))
                .orElseGet(() -> DemoKafka.embedded(dataDir.resolve("broker"), settings.partitions()))) {
            out.println("Kafka broker (" + broker.kind() + ") ready at " + broker.bootstrapServers());
            createTopics(broker, pipeline);
            try (DemoFormats formats = DemoFormats.start(settings, broker, out)) {
                return run(broker, pipeline, dataDir, formats);
            }
        }
        finally {
            if (settings.dataDir().isEmpty()) {
                deleteRecursively(dataDir);
            }
        }
    }

    private long run(DemoKafka broker, CompiledPipeline pipeline, Path dataDir, DemoFormats formats)
            throws Exception
    {
        // Dimension and history rows are stamped "now": purchase history is an event table with a 24h
        // TTL of stream time. A history share of 0.926 gives the seed's 88% hit rate over all clicks
        // (only the 95% of clicks from known users can find one).
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults()
                .withUsers(settings.users()).withProducts(settings.products())
                .withPurchaseHistoryShare(0.926).withStartEpochMillis(clock.millis()));
        try (TrafficProducer traffic = TrafficProducer.connect(broker.bootstrapServers(), dataset, TrafficMix.DEFAULT, TrafficClock.system(clock),
                formats.inputEncoding())) {
            DimensionCounts loaded = traffic.loadDimensions(Math.max(1000, settings.users() / 10),
                    (topic, sent, total) -> out.println("  loading " + topic + ": " + sent + "/" + total + " records"));
            out.println("Loaded " + loaded.userProfiles() + " user profiles, " + loaded.products() + " products, "
                    + loaded.purchaseHistory() + " purchase histories");
            if (settings.nodes() > 1) {
                return new ClusterDemo(settings, out, clock, () -> stopped).run(broker, pipeline, dataDir, traffic, formats);
            }
            return runPipeline(broker, pipeline, dataDir, traffic, formats);
        }
    }

    private long runPipeline(DemoKafka broker, CompiledPipeline pipeline, Path dataDir, TrafficProducer traffic, DemoFormats formats)
            throws Exception
    {
        NodeConfig defaults = NodeConfig.defaults();
        // On a shared cluster a run of its own name keeps its transactional ids, consumer group and changelog
        // apart from any real deployment (the default cluster name would fence that deployment's producers).
        NodeConfig.ClusterSettings cluster = broker.isEmbedded() ? defaults.cluster() : new NodeConfig.ClusterSettings("kaflowsql-loadtest-" + runId(clock));
        String consumerGroup = broker.isEmbedded() ? "kaflowsql-demo" : cluster.name();
        if (!broker.isEmbedded()) {
            out.println("Running as cluster " + cluster.name() + " (its changelog topic, consumer group and transactional ids are named after it)");
        }
        NodeConfig config = new NodeConfig(cluster.withAdminPort(0),
                new NodeConfig.KafkaSettings(broker.bootstrapServers(), consumerGroup, Map.of()),
                formats.registrySettings(), new NodeConfig.StateSettings(dataDir.resolve("state")), defaults.processing(), defaults.checkpoint(),
                new NodeConfig.HttpSettings(settings.httpPort()), defaults.pipelines(), defaults.logging());
        String outputTopic = pipeline.definition().output().topic();
        try (KaflowNode node = KaflowNode.start(config, java.util.List.of(pipeline), clock);
                OutputLatencyProbe probe = new OutputLatencyProbe(new KafkaConsumer<>(OutputLatencyProbe.consumerConfig(broker.bootstrapServers(),
                        consumerGroup + "-probe", broker.isEmbedded() ? OutputLatencyProbe.StartPosition.EARLIEST : OutputLatencyProbe.StartPosition.LATEST)),
                        outputTopic, clock, 5, formats.outputRenderer())) {
            while (!node.awaitReady(1, TimeUnit.SECONDS)) {
                if (stopped) {
                    return 0;
                }
            }
            out.println("Node ready; HTTP on port " + node.httpPort() + " (/health, /ready, /metrics). Producing " + settings.eventsPerSecond()
                    + " clicks/s; Ctrl-C to stop.");
            probe.start();
            Thread producer = new Thread(() -> {
                try {
                    traffic.runClicksUntilStopped(settings.eventsPerSecond(), () -> stopped);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "demo-traffic");
            producer.setDaemon(true);
            producer.start();
            summarize(node, probe, broker.isEmbedded());
            stopped = true;
            producer.join(5_000);
            return node.runtimes().get(0).metrics().recordsOut();
        }
    }

    private void summarize(KaflowNode node, OutputLatencyProbe probe, boolean embeddedBroker)
            throws InterruptedException
    {
        long start = clock.millis();
        long end = settings.duration().map(duration -> start + duration.toMillis()).orElse(Long.MAX_VALUE);
        LiveSummary summary = new LiveSummary(node.runtimes().get(0).metrics(), probe, out, settings.samples(), start);
        long interval = settings.summaryInterval().toMillis();
        long next = start + interval;
        long warmupEnd = start + settings.warmup().toMillis();
        boolean warm = settings.warmup().isZero();
        long outAtWarmup = 0;
        while (!stopped && clock.millis() < end) {
            Thread.sleep(Math.max(1, Math.min(100, next - clock.millis())));
            if (!warm && clock.millis() >= warmupEnd) {
                probe.reset();
                outAtWarmup = node.runtimes().get(0).metrics().recordsOut();
                warm = true;
                out.println("Warm-up over: latency recording restarts now.");
            }
            if (clock.millis() >= next) {
                summary.print(clock.millis(), (clock.millis() - start) / 1000);
                next += interval;
            }
        }
        report(node, probe, embeddedBroker, outAtWarmup, clock.millis() - Math.max(start, Math.min(warmupEnd, clock.millis())));
    }

    private void report(KaflowNode node, OutputLatencyProbe probe, boolean embeddedBroker, long outAtWarmup, long measuredMillis)
    {
        var latency = probe.snapshot();
        long written = node.runtimes().get(0).metrics().recordsOut() - outAtWarmup;
        out.printf(java.util.Locale.ROOT, "RESULT events_out=%d over %.1f s (%.0f/s); end-to-end latency (record timestamp -> readable) "
                        + "p50=%.2f ms p95=%.2f ms p99=%.2f ms max=%.2f ms over %d records%n",
                written, measuredMillis / 1000.0, written * 1000.0 / Math.max(1, measuredMillis),
                latency.p50Micros() / 1000.0, latency.p95Micros() / 1000.0, latency.p99Micros() / 1000.0, latency.maxMicros() / 1000.0,
                latency.count());
        out.println("RESULT join hit rate: " + JoinHitRates.describe(node.runtimes().get(0).metrics()));
        out.println("RESULT memory: " + ProcessMemory.describe(embeddedBroker));
    }

    private static String runId(Clock clock)
    {
        return Long.toHexString(clock.millis()) + "-" + ProcessHandle.current().pid();
    }

    private void createTopics(DemoKafka broker, CompiledPipeline pipeline)
    {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(PersonalizationTopics.CLICKSTREAMS, settings.partitions());
        topics.put(PersonalizationTopics.PURCHASE_HISTORY, settings.partitions());
        topics.put(PersonalizationTopics.USER_PROFILES, settings.partitions());
        topics.put(PersonalizationTopics.PRODUCTS, settings.partitions());
        topics.put(pipeline.definition().output().topic(), settings.partitions());
        broker.createTopics(topics, Map.of());
        out.println("Created topics " + topics.keySet() + " with " + settings.partitions() + " partitions");
    }

    private static Path temporaryDirectory()
    {
        try {
            return Files.createTempDirectory("kaflowsql-demo-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }
}
