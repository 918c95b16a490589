package io.kaflowsql.node.bench.streams;

import io.kaflowsql.node.bench.BenchInput;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.LatencySnapshot;
import io.kaflowsql.pipelines.personalization.OutputLatencyProbe;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * KaflowSQL against a hand-written Kafka Streams application ({@link PersonalizationStreamsApp}) on the seed
 * personalization pipeline: one embedded broker and one generated data set (profiles, products, purchase
 * histories and a click backlog, written once before any engine starts); each engine runs in a JVM of its
 * own with the same heap, partitions, guarantee, commit interval and one processing thread. Per engine:
 * <ol>
 * <li><b>Throughput phase</b>: a fresh process (own consumer group, state and output topic) works off the
 * backlog; after it has committed its first clicks and {@code --warmup} more seconds, the rate is the clicks it
 * committed over {@code --window} seconds (committed offsets of the click topic, read the same way for both).
 * Also measured: time from process launch to ready and to its first result (append time of the output topic,
 * created with LogAppendTime), the CPU the process used (so clicks per CPU-second), its peak RSS and its heap
 * after a full GC.</li>
 * <li><b>Latency phase</b>: a fresh process reads a fresh click topic fed at {@code --latency-rate}; latency =
 * time a {@code read_committed} consumer receives a result minus the click's record timestamp (set when it was
 * sent), over {@code --latency-duration} after {@code --latency-warmup}.</li>
 * </ol>
 * Engines alternate (the order flips every round) so slow phases of the shared machine hit both. Run by
 * {@code scripts/bench-vs-streams.sh}. Not thread-safe; one run per JVM.
 */
@Command(name = "bench-vs-streams", mixinStandardHelpOptions = true,
        description = "The seed pipeline on KaflowSQL and as a hand-written Kafka Streams application, side by side.")
public final class StreamsComparisonBenchmark
        implements Callable<Integer>
{
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--engines", defaultValue = "KAFLOWSQL,STREAMS", split = ",", description = "Engines, in the order of the first round (default ${DEFAULT-VALUE}).")
    List<Engine> engines;

    @Option(names = "--rounds", defaultValue = "1", description = "Rounds; each runs every engine once per phase (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--clicks", defaultValue = "600000", description = "Clicks in the backlog (default ${DEFAULT-VALUE}).")
    int clicks;

    @Option(names = "--users", defaultValue = "20000", description = "User profiles (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "5000", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of every topic = tasks (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--guarantee", defaultValue = "exactly_once", description = "exactly_once or at_least_once, for both engines (default ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Commit interval of both engines (default ${DEFAULT-VALUE}).")
    long commitIntervalMillis;

    @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of each engine JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--streams-threads", defaultValue = "1", description = "num.stream.threads of the Streams application (default ${DEFAULT-VALUE}).")
    int streamsThreads;

    @Option(names = "--streams-stores", defaultValue = "ROCKSDB", description = "ROCKSDB or IN_MEMORY stores for the Streams application (default ${DEFAULT-VALUE}).")
    PersonalizationStreamsApp.StoreKind streamsStores;

    @Option(names = "--warmup", defaultValue = "10", description = "Seconds between the first committed clicks and the throughput window (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--window", defaultValue = "20", description = "Seconds of the throughput window (default ${DEFAULT-VALUE}).")
    int windowSeconds;

    @Option(names = "--latency-rate", defaultValue = "2000", description = "Clicks per second of the latency phase; 0 skips it (default ${DEFAULT-VALUE}).")
    double latencyRate;

    @Option(names = "--latency-warmup", defaultValue = "10", description = "Seconds of paced clicks before latency is recorded (default ${DEFAULT-VALUE}).")
    int latencyWarmupSeconds;

    @Option(names = "--latency-duration", defaultValue = "30", description = "Seconds over which latency is recorded (default ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Seed pipeline file (default ${DEFAULT-VALUE}).")
    Path seedPipeline;

    @Option(names = "--phases", defaultValue = "throughput,latency", split = ",",
            description = "Phases to run: throughput, latency or both (default ${DEFAULT-VALUE}).")
    Set<String> phases;

    @Option(names = "--engine-jvm-flags", defaultValue = "",
            description = "Extra JVM flags of every engine process, space-separated, e.g. a profiler: "
                    + "-XX:StartFlightRecording=filename=engine.jfr,settings=profile (default none).")
    String engineJvmFlags;

    @Option(names = "--data-dir", description = "Broker, engine state and engine logs (default: a temporary directory, removed at the end).")
    Path dataDir;

    /** Engine processes started so far: killed by a shutdown hook if the benchmark is stopped early (Ctrl-C skips close()). */
    private final List<EngineProcess> started = Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new StreamsComparisonBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        printMethod();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (started) {
                started.forEach(EngineProcess::close);
            }
        }, "bench-vs-streams-shutdown"));
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("kaflowsql-bench-vs-streams-");
        List<ThroughputRun> throughput = new ArrayList<>();
        List<LatencyRun> latency = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, partitions);
                Offsets offsets = new Offsets(broker.bootstrapServers())) {
            PersonalizationDataset dataset = writeInput(broker);
            for (int round = 1; round <= rounds && phase("throughput"); round++) {
                for (Engine engine : order(round)) {
                    ThroughputRun run = throughput(broker, offsets, dir, engine, round);
                    throughput.add(run);
                    ComparisonReport.print(round, run);
                }
            }
            for (int round = 1; round <= rounds && latencyRate > 0 && phase("latency"); round++) {
                for (Engine engine : order(round)) {
                    LatencyRun run = latency(broker, dataset, dir, engine, round);
                    latency.add(run);
                    ComparisonReport.print(round, run);
                }
            }
        }
        finally {
            if (dataDir == null) {
                deleteRecursively(dir);
            }
        }
        new ComparisonReport(engines, throughput, latency, latencyRate).print(System.out);
        System.out.println("END " + MachineLoad.describe());
        return 0;
    }

    private void printMethod()
    {
        System.out.println("START " + MachineLoad.describe());
        System.out.printf(Locale.ROOT, "METHOD seed pipeline vs hand-written Kafka Streams; %,d users, %,d products, backlog %,d clicks, %d partitions, %s, "
                        + "commit interval %d ms, -Xmx%s each, Streams: %d stream thread(s), %s stores; throughput over %d s after %d s of warm-up; "
                        + "latency at %.0f clicks/s over %d s after %d s; %d round(s), engines alternating%n",
                users, products, clicks, partitions, guarantee, commitIntervalMillis, heap, streamsThreads, streamsStores, windowSeconds, warmupSeconds,
                latencyRate, latencySeconds, latencyWarmupSeconds, rounds);
    }

    private boolean phase(String name)
    {
        if (!phases.stream().allMatch(phase -> phase.equals("throughput") || phase.equals("latency"))) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--phases: throughput and/or latency, not " + phases);
        }
        return phases.contains(name);
    }

    private List<String> engineJvmFlags()
    {
        return engineJvmFlags.isBlank() ? List.of() : List.of(engineJvmFlags.trim().split("\\s+"));
    }

    private List<Engine> order(int round)
    {
        List<Engine> order = new ArrayList<>(engines);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private PersonalizationDataset writeInput(EmbeddedKafkaBroker broker)
    {
        Map<String, Integer> topics = new LinkedHashMap<>();
        PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, partitions));
        broker.createTopics(topics, Map.of());
        long start = System.nanoTime();
        // purchase history for 92.6% of users: an 88% hit rate over clicks, the seed's figure
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(users).withProducts(products)
                .withPurchaseHistoryShare(0.926).withStartEpochMillis(CLOCK.millis()));
        BenchInput.produce(broker.bootstrapServers(), Stream.concat(dataset.userProfileStream(), dataset.productStream()));
        BenchInput.produce(broker.bootstrapServers(), dataset.purchaseHistoryStream());
        BenchInput.produce(broker.bootstrapServers(), Stream.generate(() -> dataset.nextClick(CLOCK.millis())).limit(clicks));
        System.out.printf(Locale.ROOT, "INPUT %,d profiles, %,d products, %,d purchase histories and %,d clicks written in %.1f s%n",
                users, products, dataset.purchaseHistoryCount(), clicks, (System.nanoTime() - start) / 1e9);
        return dataset;
    }

    private ThroughputRun throughput(EmbeddedKafkaBroker broker, Offsets offsets, Path dir, Engine engine, int round)
            throws Exception
    {
        String name = "tp" + round + "-" + engine.shortName();
        String output = name + "-out";
        broker.createTopics(Map.of(output, partitions), Map.of("message.timestamp.type", "LogAppendTime"));
        RunSpec spec = new RunSpec(name, PersonalizationTopics.CLICKSTREAMS, output, guarantee, commitIntervalMillis, heap, dir.resolve(name), engineJvmFlags());
        System.gc();
        long launch = CLOCK.millis();
        long[] ready = {-1};
        try (EngineProcess process = start(broker, engine, spec)) {
            String group = process.consumerGroup();
            await(process, "ready and first committed clicks", () -> {
                if (ready[0] < 0 && process.ready()) {
                    ready[0] = CLOCK.millis() - launch;
                }
                return ready[0] >= 0 && offsets.committed(group, PersonalizationTopics.CLICKSTREAMS) > 0;
            });
            Thread.sleep(warmupSeconds * 1000L);
            long clicksAtStart = offsets.committed(group, PersonalizationTopics.CLICKSTREAMS);
            long resultsAtStart = offsets.end(output, partitions);
            long cpuAtStart = ProcessStats.cpuNanos(process.pid());
            long windowStart = System.nanoTime();
            Thread.sleep(windowSeconds * 1000L);
            long clicksDone = offsets.committed(group, PersonalizationTopics.CLICKSTREAMS);
            long results = offsets.end(output, partitions) - resultsAtStart;
            long cpu = ProcessStats.cpuNanos(process.pid()) - cpuAtStart;
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            checkAlive(process, "the throughput window");
            long peakRss = ProcessStats.peakRssBytes(process.pid());
            OptionalLong heapAfterGc = ProcessStats.heapAfterGcBytes(process.pid());
            process.close();
            long firstOutput = FirstOutput.appendTime(broker.bootstrapServers(), output, partitions, Duration.ofSeconds(30)).orElse(-1) - launch;
            return new ThroughputRun(engine, (clicksDone - clicksAtStart) / seconds, results / seconds, cpu / 1e9 / seconds, ready[0],
                    firstOutput, peakRss, heapAfterGc, clicksDone < clicks);
        }
        finally {
            deleteRecursively(spec.dir().resolve("state"));
        }
    }

    private LatencyRun latency(EmbeddedKafkaBroker broker, PersonalizationDataset dataset, Path dir, Engine engine, int round)
            throws Exception
    {
        String name = "lat" + round + "_" + engine.shortName(); // a SQL identifier: the engine reads "FROM <name>_clicks"
        String clicksTopic = name + "_clicks";
        String output = name + "_out";
        broker.createTopics(Map.of(clicksTopic, partitions, output, partitions), Map.of());
        RunSpec spec = new RunSpec(name, clicksTopic, output, guarantee, commitIntervalMillis, heap, dir.resolve(name), engineJvmFlags());
        System.gc();
        try (EngineProcess process = start(broker, engine, spec);
                OutputLatencyProbe probe = OutputLatencyProbe.connect(broker.bootstrapServers(), output, name + "-probe",
                        OutputLatencyProbe.StartPosition.EARLIEST, CLOCK)) {
            await(process, "ready", process::ready);
            probe.start();
            if (!probe.awaitAssignment(Duration.ofSeconds(60))) {
                throw new IllegalStateException(name + ": the latency probe got no partitions of " + output);
            }
            PacedClicks paced = PacedClicks.start(broker.bootstrapServers(), dataset, clicksTopic, CLOCK, latencyRate,
                    Duration.ofSeconds(latencyWarmupSeconds + latencySeconds));
            Thread.sleep(latencyWarmupSeconds * 1000L);
            probe.reset();
            long cpuAtStart = ProcessStats.cpuNanos(process.pid());
            long start = System.nanoTime();
            Thread.sleep(latencySeconds * 1000L);
            LatencySnapshot latency = probe.snapshot();
            double seconds = (System.nanoTime() - start) / 1e9;
            long cpu = ProcessStats.cpuNanos(process.pid()) - cpuAtStart;
            long sent = paced.await();
            checkAlive(process, "the latency run");
            return new LatencyRun(engine, latencyRate, sent, latency, latency.count() / seconds, cpu / 1e9 / seconds, ProcessStats.peakRssBytes(process.pid()));
        }
        finally {
            deleteRecursively(spec.dir().resolve("state"));
        }
    }

    private EngineProcess start(EmbeddedKafkaBroker broker, Engine engine, RunSpec spec)
            throws IOException
    {
        EngineProcess process = switch (engine) {
            case KAFLOWSQL -> KaflowProcess.start(broker.bootstrapServers(), spec, seedPipeline);
            case STREAMS -> StreamsProcess.start(broker.bootstrapServers(), spec, streamsThreads, streamsStores);
        };
        started.add(process);
        return process;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails with the log's tail if the process exits or {@link #START_TIMEOUT} passes. */
    private static void await(EngineProcess process, String what, BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            checkAlive(process, what);
            if (System.nanoTime() > deadline) {
                throw failure(process, "timed out after " + START_TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void checkAlive(EngineProcess process, String what)
    {
        if (!process.alive()) {
            throw failure(process, "the engine process exited during " + what);
        }
    }

    private static IllegalStateException failure(EngineProcess process, String message)
    {
        StringBuilder text = new StringBuilder(message).append("\n---- last 60 lines of ").append(process.logFile()).append(" ----\n");
        process.tail(60).forEach(line -> text.append(line).append('\n'));
        return new IllegalStateException(text.toString());
    }

    private static void deleteRecursively(Path dir)
            throws IOException
    {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
