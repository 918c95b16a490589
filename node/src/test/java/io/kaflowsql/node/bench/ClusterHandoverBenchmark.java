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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Processing gap per moved partition when tasks change owner, with {@code --keys-per-task} event-table
 * keys per task. Everything runs on this machine: the embedded broker and the click feed in this JVM,
 * the nodes as {@code kaflowsql node} processes ({@link BenchCluster}), exactly-once, the seed pipeline.
 *
 * <p>Method. The output topic is created with {@code message.timestamp.type=LogAppendTime}, so each output
 * record's timestamp is when the broker appended it; under exactly-once a node's output is appended when
 * the node sends it, before its transaction commits, so it is when the record was processed. Clicks arrive
 * steadily ({@code --rate} per second over all partitions). The gap of partition p during a move is the
 * longest interval between consecutive append times of p's output (read {@code read_committed}, p computed
 * from the output key, see {@link AppendTimeCollector}) from the trigger until p produced on its new owner;
 * the normal max gap is the same over the quiet {@code --settle} seconds before the trigger. Each run:
 * <ol>
 * <li>join: the resident node owns every task; the visitor node starts (fresh state), bootstraps, receives
 * standby copies over gRPC and then its share of the tasks (planned moves);</li>
 * <li>leave: SIGTERM to the visitor; its tasks move back (planned moves while it drains);</li>
 * <li>join again, then kill -9 of one of the two nodes (the follower by default); its tasks fail over.
 * Failure detection = the first "published assignment generation" line the survivor logs after the kill.</li>
 * </ol>
 * Run by {@code scripts/bench-cluster.sh}. Not thread-safe; one run per JVM.
 */
@Command(name = "bench-cluster-handover", mixinStandardHelpOptions = true,
        description = "Processing gap per moved partition on planned moves (join, graceful leave) and on kill -9.")
public final class ClusterHandoverBenchmark
        implements Callable<Integer>
{
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String CLUSTER = "handover";
    private static final String PIPELINE = "personalization_engine";
    private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--keys-per-task", defaultValue = "1000000", description = "purchase_history rows with distinct user ids per task (default ${DEFAULT-VALUE}).")
    int keysPerTask;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions per topic = tasks (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of join, leave, join + kill -9 (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--rate", defaultValue = "300", description = "Clicks per second over all partitions (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--settle", defaultValue = "15", description = "Quiet seconds before each trigger; the normal max gap is measured over them (default ${DEFAULT-VALUE}).")
    int settleSeconds;

    @Option(names = "--kill", defaultValue = "follower", description = "Which node kill -9 hits: follower or leader (default ${DEFAULT-VALUE}).")
    String killTarget;

    @Option(names = "--node-heap", defaultValue = "1g", description = "-Xmx of each node JVM; the task state lives in RocksDB, off the heap (default ${DEFAULT-VALUE}).")
    String nodeHeap;

    @Option(names = "--users", defaultValue = "10000", description = "User profiles (the users that click) (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "1000", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = "--load-timeout", defaultValue = "60", description = "Minutes the first node may take to read the event table (default ${DEFAULT-VALUE}).")
    int loadTimeoutMinutes;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Seed pipeline file (default ${DEFAULT-VALUE}).")
    Path seedPipeline;

    @Option(names = "--data-dir", description = "Broker, node state and node logs (default: a temporary directory, removed at the end).")
    Path dataDir;

    private String bootstrapServers;
    private BenchCluster cluster;
    private AppendTimeCollector collector;
    private int resident = 1;
    private int visitor = 2;

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new ClusterHandoverBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        if (!killTarget.equals("follower") && !killTarget.equals("leader")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--kill is follower or leader, got " + killTarget);
        }
        printMethod();
        Path dir = dataDir != null ? BenchCluster.mkdirs(dataDir) : BenchMachine.temporaryDirectory("kaflowsql-bench-handover-");
        List<HandoverMove> moves = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, partitions)) {
            bootstrapServers = broker.bootstrapServers();
            PersonalizationDataset dataset = prepareInput(broker, dir);
            try (AppendTimeCollector output = new AppendTimeCollector(bootstrapServers, PersonalizationTopics.PERSONALIZED_EVENTS, partitions, partitions);
                    BenchCluster nodes = new BenchCluster(CLUSTER, bootstrapServers, dir.resolve("pipelines"), dir, 2,
                            List.of("-Xmx" + nodeHeap, "-XX:+UseG1GC"), "processing: { guarantee: exactly_once }\n", 1)) {
                this.collector = output;
                this.cluster = nodes;
                startResident();
                try (SteadyClicks clicks = new SteadyClicks(bootstrapServers, dataset, PersonalizationTopics.CLICKSTREAMS, rate, CLOCK)) {
                    cluster.await("output from every partition", MOVE_TIMEOUT, () -> IntStream.range(0, partitions).allMatch(p -> collector.lastAppend(p) > 0));
                    for (int run = 1; run <= runs; run++) {
                        moves.addAll(print(join(run)));
                        moves.addAll(print(leave(run)));
                        moves.addAll(print(join(run)));
                        moves.addAll(print(kill(run)));
                    }
                    System.out.printf(Locale.ROOT, "Clicks fed: %,d; output records from a partition other than their input's: %d; not log-append-time: %d%n",
                            clicks.sent(), collector.misplaced(), collector.notAppendTime());
                }
            }
        }
        finally {
            if (dataDir == null) {
                BenchMachine.deleteRecursively(dir);
            }
        }
        HandoverMove.summarize(moves).forEach(System.out::println);
        System.out.println("END " + BenchMachine.load());
        return 0;
    }

    private void printMethod()
    {
        System.out.println("START " + BenchMachine.load());
        System.out.printf(Locale.ROOT, "METHOD %d partitions (= tasks), ~%,d purchase_history keys per task, %.0f clicks/s over all partitions, exactly_once, "
                + "node heap %s (G1), engine defaults (commit 100 ms, checkpoint 30 s, standby 1 replica refreshed every 10 s, failure timeout 5 s)%n",
                partitions, keysPerTask, rate, nodeHeap);
        System.out.printf(Locale.ROOT, "METHOD %d runs of: join (planned moves to a new node), leave (SIGTERM, planned moves back), join, kill -9 of the %s%n",
                runs, killTarget);
        System.out.println("METHOD gap = longest interval between consecutive broker append times (LogAppendTime) of the output records coming from"
                + " a moved input partition, from the trigger until the partition produced on its new owner; normal = the same over the "
                + settleSeconds + " quiet seconds before the trigger. Broker and click feed run in this JVM; the nodes are separate JVMs on the same "
                + Runtime.getRuntime().availableProcessors() + " cores.");
    }

    private PersonalizationDataset prepareInput(EmbeddedKafkaBroker broker, Path dir)
            throws Exception
    {
        Map<String, Integer> topics = new LinkedHashMap<>();
        PersonalizationTopics.INPUTS.forEach(topic -> topics.put(topic, partitions));
        broker.createTopics(topics, Map.of());
        broker.createTopics(Map.of(PersonalizationTopics.PERSONALIZED_EVENTS, partitions), Map.of("message.timestamp.type", "LogAppendTime"));
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(users).withProducts(products)
                .withProfileHitRate(1.0).withProductHitRate(1.0).withFilteredEventShare(0.0).withStartEpochMillis(CLOCK.millis()));
        BenchInput.produceDimensions(bootstrapServers, dataset);
        long start = System.nanoTime();
        Map<Integer, Long> rows = BenchInput.produceEventTable(bootstrapServers, keysPerTask * partitions, CLOCK.millis());
        System.out.printf(Locale.ROOT, "Produced %,d user profiles, %,d products and %,d purchase_history rows (per partition %s) in %.1f s%n",
                users, products, rows.values().stream().mapToLong(Long::longValue).sum(), rows, (System.nanoTime() - start) / 1e9);
        Path pipelines = BenchCluster.mkdirs(dir.resolve("pipelines"));
        Files.writeString(pipelines.resolve("pipeline.yaml"),
                BenchNodes.seedPipelineText(seedPipeline, PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.PERSONALIZED_EVENTS));
        return dataset;
    }

    private void startResident()
            throws InterruptedException
    {
        long start = System.nanoTime();
        BenchNode node = cluster.start(resident);
        cluster.await(node.id() + " owns every task", Duration.ofMinutes(loadTimeoutMinutes), () -> node.owned().size() == partitions);
        long deadline = System.nanoTime() + Duration.ofMinutes(loadTimeoutMinutes).toNanos();
        long nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!BenchInput.caughtUp(bootstrapServers, cluster.streamGroup(PIPELINE), PersonalizationTopics.PURCHASE_HISTORY)) {
            if (System.nanoTime() > deadline) {
                throw cluster.failure("the event table was not read within " + loadTimeoutMinutes + " minutes");
            }
            if (System.nanoTime() > nextReport) {
                cluster.reportStoppedTasks();
                System.out.printf(Locale.ROOT, "  loading: committed %s of %s%n", BenchInput.committed(bootstrapServers, cluster.streamGroup(PIPELINE), PersonalizationTopics.PURCHASE_HISTORY),
                        BenchInput.endOffsets(bootstrapServers, PersonalizationTopics.PURCHASE_HISTORY));
                nextReport += Duration.ofSeconds(30).toNanos();
            }
            Thread.sleep(2_000);
        }
        System.out.printf(Locale.ROOT, "%s owns every task and has read the event table into them %.1f s after its start%n", node.id(), (System.nanoTime() - start) / 1e9);
    }

    private List<HandoverMove> join(int run)
            throws InterruptedException
    {
        BenchNode stays = cluster.node(resident);
        long t0 = quietThenNow();
        BenchNode joiner = cluster.start(visitor);
        int share = Math.max(1, partitions / 2);
        cluster.await(joiner.id() + " owns its share", MOVE_TIMEOUT, () -> {
            Set<Integer> moved = joiner.owned();
            Set<Integer> kept = stays.owned();
            return moved.size() >= share && kept.size() + moved.size() == partitions && disjoint(moved, kept);
        });
        return measure("join", run, joiner.owned(), stays, joiner, t0, OptionalLong.empty());
    }

    private List<HandoverMove> leave(int run)
            throws InterruptedException
    {
        BenchNode stays = cluster.node(resident);
        BenchNode leaver = cluster.node(visitor);
        Set<Integer> moved = leaver.owned();
        long t0 = quietThenNow();
        cluster.stop(leaver, Duration.ofSeconds(120));
        cluster.await(stays.id() + " owns every task", MOVE_TIMEOUT, () -> stays.owned().size() == partitions);
        return measure("leave", run, moved, leaver, stays, t0, OptionalLong.empty());
    }

    private List<HandoverMove> kill(int run)
            throws InterruptedException
    {
        String leader = cluster.node(resident).view().map(json -> json.path("leader").asText()).orElse("?");
        boolean killLeader = killTarget.equals("leader");
        BenchNode victim = cluster.node(killLeader ? resident : visitor);
        BenchNode survivor = cluster.node(killLeader ? visitor : resident);
        Set<Integer> moved = victim.owned();
        long t0 = quietThenNow();
        cluster.kill(victim);
        cluster.await(survivor.id() + " owns every task", MOVE_TIMEOUT, () -> survivor.owned().size() == partitions);
        OptionalLong detected = survivor.logSince(t0, CLOCK.millis()).stream()
                .filter(line -> line.text().contains("published assignment generation"))
                .mapToLong(line -> line.epochMillis() - t0)
                .findFirst();
        System.out.printf(Locale.ROOT, "RUN %d kill -9 of %s (leader was %s); %s%n", run, victim.id(), leader,
                detected.isPresent() ? "survivor published a new assignment " + detected.getAsLong() + " ms later" : "no new assignment found in the survivor's log");
        if (killLeader) {
            visitor = resident;
            resident = survivor.number();
        }
        return measure("kill-9", run, moved, victim, survivor, t0, detected);
    }

    /** Waits until every moved partition produced after now, then reads each one's gap and the nodes' log lines about it. */
    private List<HandoverMove> measure(String kind, int run, Set<Integer> moved, BenchNode from, BenchNode to, long t0, OptionalLong detected)
            throws InterruptedException
    {
        long owned = CLOCK.millis();
        cluster.await("output of " + moved + " on " + to.id(), MOVE_TIMEOUT, () -> moved.stream().allMatch(p -> collector.lastAppend(p) > owned));
        long producing = CLOCK.millis();
        // a partition's clicks are processed in order, so once a click sent after this moment is out, every click sent before it is too
        cluster.await("the new owner of " + moved + " caught up", MOVE_TIMEOUT, () -> moved.stream().allMatch(p -> collector.latestClickTime(p) > producing));
        Thread.sleep(1_000);
        long end = CLOCK.millis();
        long settleStart = t0 - (settleSeconds - 1) * 1000L;
        List<HandoverMove> result = new ArrayList<>();
        for (int partition : new TreeSet<>(moved)) {
            result.add(new HandoverMove(kind, run, partition, from.id(), to.id(), t0, collector.maxGap(partition, t0, end),
                    collector.maxGapInside(partition, settleStart, t0), collector.maxWait(partition, t0, producing),
                    collector.maxWait(partition, settleStart, t0 - 1000L), detected, evidence(partition, List.of(from, to), t0, end)));
        }
        return result;
    }

    /** The old and new owner's log lines about the task and the assignments, between the trigger and the end of the measurement. */
    private List<String> evidence(int partition, List<BenchNode> nodes, long from, long to)
    {
        Pattern task = Pattern.compile("Task " + PIPELINE + "-" + partition + "\\b|Task " + PIPELINE + "-" + partition + ":|published assignment generation"
                + "|Fetched .*" + PIPELINE + "-" + partition + "\\b|quorum|lifecycle");
        record Tagged(String node, BenchNode.LogLine line) {}
        List<Tagged> lines = new ArrayList<>();
        for (BenchNode node : nodes) {
            node.logSince(from, CLOCK.millis()).stream()
                    .filter(line -> line.epochMillis() <= to && task.matcher(line.text()).find())
                    .forEach(line -> lines.add(new Tagged(node.id(), line)));
        }
        lines.sort(Comparator.comparingLong((Tagged tagged) -> tagged.line().epochMillis()));
        return lines.subList(Math.max(0, lines.size() - 16), lines.size()).stream()
                .map(tagged -> String.format(Locale.ROOT, "%s +%5.1fs %s", tagged.node(), (tagged.line().epochMillis() - from) / 1000.0,
                        abbreviate(tagged.line().text().substring(Math.min(13, tagged.line().text().length())))))
                .toList();
    }

    private static String abbreviate(String text)
    {
        return text.length() <= 220 ? text : text.substring(0, 217) + "...";
    }

    private long quietThenNow()
            throws InterruptedException
    {
        Thread.sleep(settleSeconds * 1000L);
        return CLOCK.millis();
    }

    private static List<HandoverMove> print(List<HandoverMove> moves)
    {
        moves.forEach(move -> System.out.println(move.describe()));
        System.out.println("  " + BenchMachine.load());
        return moves;
    }

    private static boolean disjoint(Set<Integer> a, Set<Integer> b)
    {
        Set<Integer> both = new HashSet<>(a);
        both.retainAll(b);
        return both.isEmpty();
    }
}
