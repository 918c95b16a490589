package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.DimensionBootstrap;
import io.kaflowsql.engine.api.runtime.DimensionBootstrapStats;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.TrafficProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a node takes to get its dimensions ready: reading a {@code user_profiles} topic of N rows
 * (default 5,000,000; first argument) from the beginning, vs bootstrapping from a peer's snapshot
 * (peer A writes it, node B loads it and reads the topic tail: {@value #TAIL} records produced after each
 * snapshot). Three runs of each kind (second argument), alternating; prints each run, the medians and
 * their ratio. Every runtime gets its own cluster name, consumer group and state directory.
 *
 * <p>Run: {@code scripts/run-node-bench.sh DimensionBootstrapBenchmark 1000000} (JAVA_OPTS=-Xmx6g for 5M rows:
 * peer and bootstrapping node each hold a full copy). Not thread-safe; one run per JVM.
 */
public final class DimensionBootstrapBenchmark
{
    private static final int PARTITIONS = 3;
    private static final int TAIL = 10_000;
    private static final Clock CLOCK = Clock.systemUTC();

    private final EmbeddedKafkaBroker broker;
    private final CompiledPipeline pipeline;
    private final Path dir;
    private final PersonalizationDataset dataset;
    private int runtimes;

    private DimensionBootstrapBenchmark(EmbeddedKafkaBroker broker, CompiledPipeline pipeline, Path dir, int rows)
    {
        this.broker = broker;
        this.pipeline = pipeline;
        this.dir = dir;
        this.dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(rows).withProducts(100));
    }

    public static void main(String[] args)
            throws Exception
    {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 5_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = BenchMachine.temporaryDirectory("kaflowsql-bench-dimsnap-");
        System.out.println("START " + BenchMachine.load());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, PARTITIONS)) {
            Map<String, Integer> topics = new LinkedHashMap<>();
            PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, PARTITIONS));
            broker.createTopics(topics, Map.of());
            CompiledPipeline pipeline = BenchNodes.seedPipeline(Path.of("pipelines/personalization/pipeline.yaml"), PersonalizationTopics.CLICKSTREAMS,
                    PersonalizationTopics.PERSONALIZED_EVENTS);
            new DimensionBootstrapBenchmark(broker, pipeline, dir, rows).run(rows, runs);
        }
        finally {
            BenchMachine.deleteRecursively(dir);
        }
        System.out.println("END " + BenchMachine.load());
    }

    private void run(int rows, int runs)
            throws Exception
    {
        produceProfiles(rows);
        Samples fromTopic = new Samples();
        Samples fromSnapshot = new Samples();
        Samples snapshotWrite = new Samples();
        try (PipelineRuntime peer = newRuntime(DimensionBootstrap.NONE)) {
            long start = System.nanoTime();
            awaitDimensions(peer);
            System.out.printf(Locale.ROOT, "Peer A: dimensions ready from the topic in %,d ms%n", millisSince(start));
            for (int run = 1; run <= runs; run++) {
                System.gc();
                start = System.nanoTime();
                try (PipelineRuntime node = newRuntime(DimensionBootstrap.NONE)) {
                    awaitDimensions(node);
                    long millis = millisSince(start);
                    fromTopic.add(millis);
                    System.out.printf(Locale.ROOT, "RUN %d from topic    ready after %,7d ms (%s)%n", run, millis, node.dimensionBootstrap());
                }
                System.gc();
                Path snapshot = dir.resolve("snapshot-" + run + ".kfds");
                start = System.nanoTime();
                long written = peer.writeDimensionSnapshot(snapshot);
                long writeMillis = millisSince(start);
                long size = Files.size(snapshot);
                produceTail();
                long loadStart = System.nanoTime();
                try (PipelineRuntime node = newRuntime((name, directory) -> Optional.of(snapshot))) {
                    awaitDimensions(node);
                    long millis = writeMillis + millisSince(loadStart);
                    fromSnapshot.add(millis);
                    snapshotWrite.add(writeMillis);
                    System.out.printf(Locale.ROOT, "RUN %d from snapshot ready after %,7d ms (write %,d rows, %,d MB: %,d ms; load + tail %,d ms) (%s)%n",
                            run, millis, written, size >> 20, writeMillis, millisSince(loadStart), node.dimensionBootstrap());
                }
                Files.delete(snapshot);
            }
        }
        System.out.printf(Locale.ROOT, "SUMMARY %,d user_profiles rows on %d partitions, %d runs%n", rows, PARTITIONS, runs);
        System.out.printf(Locale.ROOT, "SUMMARY from topic    median %,.0f ms (runs %s)%n", fromTopic.median(), fromTopic.all("%.0f"));
        System.out.printf(Locale.ROOT, "SUMMARY from snapshot median %,.0f ms (runs %s; of which writing the snapshot %s)%n", fromSnapshot.median(),
                fromSnapshot.all("%.0f"), snapshotWrite.all("%.0f"));
        System.out.printf(Locale.ROOT, "SUMMARY topic / snapshot = %.1fx%n", fromTopic.median() / fromSnapshot.median());
    }

    private PipelineRuntime newRuntime(DimensionBootstrap bootstrap)
    {
        int id = ++runtimes;
        RuntimeSettings settings = new RuntimeSettings(broker.bootstrapServers(), Map.of(), "bench-dimsnap-" + id, "bench-dimsnap-" + id,
                dir.resolve("state-" + id), ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofMillis(100), CheckpointSettings.DEFAULTS, CLOCK,
                Optional.empty(), new SimpleMeterRegistry());
        PipelineRuntime runtime = new PipelineRuntime(pipeline, settings).withDimensionBootstrap(bootstrap);
        runtime.start();
        return runtime;
    }

    /** Dimensions are ready once the runtime moved past loading them. */
    private static void awaitDimensions(PipelineRuntime runtime)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (runtime.state().compareTo(PipelineRuntime.State.LOADING_DIMENSIONS) <= 0
                || runtime.dimensionBootstrap().source() == DimensionBootstrapStats.Source.PENDING) {
            if (runtime.state() == PipelineRuntime.State.FAILED || System.nanoTime() > deadline) {
                throw new IllegalStateException("dimensions not ready: " + runtime.state());
            }
            Thread.sleep(10);
        }
    }

    private void produceProfiles(int rows)
    {
        long start = System.nanoTime();
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(TrafficProducer.producerConfig(broker.bootstrapServers()))) {
            dataset.forEachUserProfile(record -> producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), record.json()),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failed.incrementAndGet();
                        }
                    }));
            dataset.forEachProduct(record -> producer.send(new ProducerRecord<>(record.topic(), record.key(), record.json())));
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " user_profiles records could not be sent");
        }
        System.out.printf(Locale.ROOT, "Produced %,d user_profiles rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
    }

    /** Updates of existing profiles, produced after the peer's snapshot: what the bootstrapping node reads from the topic. */
    private void produceTail()
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(TrafficProducer.producerConfig(broker.bootstrapServers()))) {
            for (int i = 0; i < TAIL; i++) {
                GeneratedRecord update = dataset.nextProfileUpdate(CLOCK.millis());
                producer.send(new ProducerRecord<>(update.topic(), null, update.timestampMillis(), update.key(), update.json()));
            }
            producer.flush();
        }
    }

    private static long millisSince(long startNanos)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
