package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.node.internal.runtime.KaflowNode;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a task takes to get its state back: one task (every topic has one partition) holding
 * {@code --keys} purchase-history rows (distinct users, all stamped now, so none expires under the 24 h
 * TTL). A node loads them, commits and closes cleanly (which writes a checkpoint). Then, alternating,
 * a node starts on the same state directory and restores (a) from that checkpoint plus the (empty)
 * changelog tail, and (b) with the checkpoints moved away, from the whole changelog. Reported per
 * restart: the runtime's restore time, records and bytes replayed, and the wall time from
 * {@code KaflowNode.start} to ready (which adds topic checks, dimension load of empty topics, producer
 * initialisation and consumer start).
 *
 * <p>Run by {@code scripts/bench-restore.sh}. Not thread-safe; one run per JVM.
 */
@Command(name = "bench-restore", mixinStandardHelpOptions = true,
        description = "Restore time of a task with many event-table keys: from a checkpoint vs from the whole changelog.")
public final class RestoreBenchmark
        implements Callable<Integer>
{
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String CLUSTER = "restore";

    @Option(names = "--keys", defaultValue = "1000000", description = "purchase_history rows with distinct user ids (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--runs", defaultValue = "3", description = "Restarts of each kind, alternating (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--guarantee", defaultValue = "exactly_once", description = "processing.guarantee (default ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Seed pipeline file (default ${DEFAULT-VALUE}).")
    Path seedPipeline;

    @Option(names = "--data-dir", description = "Broker and state directory (default: a temporary directory, removed at the end).")
    Path dataDir;

    /** One restart: what the runtime measured and the wall time to ready. */
    record Restart(String kind, long restoreMillis, long records, long bytes, long readyMillis) {}

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new RestoreBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        ProcessingGuarantee processing = ProcessingGuarantee.fromConfigName(guarantee)
                .orElseThrow(() -> new IllegalArgumentException("--guarantee is exactly_once or at_least_once, got " + guarantee));
        Path dir = dataDir != null ? dataDir : BenchMachine.temporaryDirectory("kaflowsql-bench-restore-");
        System.out.println("START " + BenchMachine.load());
        List<Restart> restarts = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, 1)) {
            Map<String, Integer> topics = new LinkedHashMap<>();
            PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, 1));
            broker.createTopics(topics, Map.of());
            CompiledPipeline pipeline = BenchNodes.seedPipeline(seedPipeline, PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.PERSONALIZED_EVENTS);
            NodeConfig config = BenchNodes.config(broker.bootstrapServers(), CLUSTER, dir.resolve("state"), processing,
                    Durations.parse("100ms").orElseThrow());
            Path checkpoints = config.state().dir().resolve(pipeline.name()).resolve("task-0").resolve("checkpoints");
            produceHistory(broker.bootstrapServers());
            load(config, pipeline, BenchNodes.sourceIndex(pipeline, PersonalizationTopics.PURCHASE_HISTORY), checkpoints);
            Path aside = dir.resolve("checkpoints-aside");
            for (int run = 0; run < runs; run++) {
                restarts.add(restart(config, pipeline, "checkpoint", run));
                Files.move(checkpoints, aside);
                restarts.add(restart(config, pipeline, "changelog", run));
                BenchMachine.deleteRecursively(checkpoints);
                Files.move(aside, checkpoints);
            }
        }
        finally {
            if (dataDir == null) {
                BenchMachine.deleteRecursively(dir);
            }
        }
        summarize(restarts);
        System.out.println("END " + BenchMachine.load());
        return 0;
    }

    private void produceHistory(String bootstrapServers)
    {
        long start = System.nanoTime();
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults()
                .withUsers(keys).withPurchaseHistoryShare(1.0).withStartEpochMillis(CLOCK.millis()));
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(TrafficProducer.producerConfig(bootstrapServers))) {
            dataset.purchaseHistoryStream().forEach((GeneratedRecord record) -> producer.send(
                    new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), record.json()),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failed.incrementAndGet();
                        }
                    }));
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " purchase_history records could not be sent");
        }
        System.out.printf(Locale.ROOT, "Produced %,d purchase_history rows (distinct user_id) in %.1f s%n", keys, (System.nanoTime() - start) / 1e9);
    }

    /** First node: reads every row into the task's store, commits, closes cleanly (writing a checkpoint). */
    private void load(NodeConfig config, CompiledPipeline pipeline, int historySource, Path checkpoints)
            throws InterruptedException
    {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(20);
        try (KaflowNode node = KaflowNode.start(config, List.of(pipeline), CLOCK)) {
            PipelineRuntime runtime = node.runtimes().get(0);
            PipelineMetrics metrics = runtime.metrics();
            while (metrics.recordsIn(historySource) < keys) {
                check(runtime, deadline, "loading: " + metrics.recordsIn(historySource) + " rows read");
                Thread.sleep(100);
            }
            long loaded = System.nanoTime();
            long commits = metrics.commitCount();
            while (metrics.commitCount() == commits) {
                check(runtime, deadline, "waiting for the commit after the last row");
                Thread.sleep(20);
            }
            System.out.printf(Locale.ROOT, "Loaded %,d rows into the task in %.1f s (%,.0f rows/s from node start, %,d task commits)%n",
                    metrics.recordsIn(historySource), (loaded - start) / 1e9, keys / ((loaded - start) / 1e9), metrics.commitCount());
        }
        System.out.printf(Locale.ROOT, "Closed cleanly: checkpoint directory %s holds %,d bytes%n", checkpoints, BenchMachine.sizeOf(checkpoints));
        if (BenchMachine.sizeOf(checkpoints) == 0) {
            throw new IllegalStateException("no checkpoint was written on close in " + checkpoints);
        }
    }

    private Restart restart(NodeConfig config, CompiledPipeline pipeline, String kind, int run)
            throws InterruptedException
    {
        System.gc();
        long start = System.nanoTime();
        Restart restart;
        try (KaflowNode node = KaflowNode.start(config, List.of(pipeline), CLOCK)) {
            PipelineRuntime runtime = node.runtimes().get(0);
            if (!node.awaitReady(20, TimeUnit.MINUTES)) {
                throw new IllegalStateException("node not ready after 20 minutes: " + runtime.state());
            }
            long ready = System.nanoTime();
            PipelineMetrics metrics = runtime.metrics();
            restart = new Restart(kind, metrics.restoreMillis(), metrics.restoredRecords(), metrics.restoredBytes(),
                    TimeUnit.NANOSECONDS.toMillis(ready - start));
        }
        if (kind.equals("changelog") && restart.records() < keys) {
            throw new IllegalStateException("a full restore replayed only " + restart.records() + " changelog records for " + keys + " keys");
        }
        System.out.printf(Locale.ROOT, "RESTART %d from %-10s restore %,7d ms, %,9d changelog records (%,d bytes), ready after %,7d ms; %s%n",
                run + 1, kind, restart.restoreMillis(), restart.records(), restart.bytes(), restart.readyMillis(), BenchMachine.load());
        return restart;
    }

    private void summarize(List<Restart> restarts)
    {
        Map<String, Samples> restore = new LinkedHashMap<>();
        Map<String, Samples> ready = new LinkedHashMap<>();
        for (Restart restart : restarts) {
            restore.computeIfAbsent(restart.kind(), kind -> new Samples()).add(restart.restoreMillis());
            ready.computeIfAbsent(restart.kind(), kind -> new Samples()).add(restart.readyMillis());
        }
        System.out.printf(Locale.ROOT, "SUMMARY one task, %,d event-table keys, %s%n", keys, guarantee);
        for (String kind : restore.keySet()) {
            System.out.printf(Locale.ROOT, "SUMMARY from %-10s restore median %,.0f ms (runs %s), ready median %,.0f ms (runs %s)%n", kind,
                    restore.get(kind).median(), restore.get(kind).all("%.0f"), ready.get(kind).median(), ready.get(kind).all("%.0f"));
        }
        System.out.printf(Locale.ROOT, "SUMMARY ratio changelog/checkpoint: restore %.1f, ready %.1f%n",
                restore.get("changelog").median() / Math.max(1, restore.get("checkpoint").median()),
                ready.get("changelog").median() / ready.get("checkpoint").median());
    }

    private static void check(PipelineRuntime runtime, long deadline, String what)
    {
        if (runtime.state() == PipelineRuntime.State.FAILED) {
            throw new IllegalStateException("the pipeline failed (" + what + ")");
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out " + what);
        }
    }
}
