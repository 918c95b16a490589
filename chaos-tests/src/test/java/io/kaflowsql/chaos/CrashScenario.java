package io.kaflowsql.chaos;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * A crash test end to end: an embedded broker in this JVM, the seed's personalization pipeline in a
 * node child JVM, a known input written at a steady rate while the node is killed once per
 * {@link Crash} and restarted on the same state directory, then a last incarnation that runs until
 * the output is complete and stops cleanly. The output, read with read_committed all along, is then judged by the
 * chaos checker ({@link EndOfRunCheck}): every click that passes WHERE, enriched as the seed query says, exactly or at
 * least once, and nothing committed outside a transaction or by a fenced epoch.
 *
 * <p>Every step is printed with the time since the start, so a CI log tells the story of a failure;
 * a step that cannot happen (a node that never gets ready, a fault switch that never fires) fails
 * with the output of the nodes. Not thread-safe; one test runs one scenario.
 */
final class CrashScenario
{
    static final Path SEED_PIPELINE = Path.of("../pipelines/personalization/pipeline.yaml");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(120);
    private static final int MIN_KILL_DELAY_MILLIS = 500;
    private static final int MAX_KILL_DELAY_MILLIS = 4_000;

    /**
     * @param guarantee {@code processing.guarantee} of the node
     * @param checkpointInterval {@code checkpoint.interval} of the node, e.g. {@code 500ms}
     * @param killSeed seed of the random kill times (printed, so a failing run can be repeated)
     */
    record Settings(String guarantee, int clicks, double clicksPerSecond, int partitions, List<Crash> crashes, String checkpointInterval, long killSeed)
    {
        Settings
        {
            requireNonNull(guarantee, "guarantee is null");
            crashes = List.copyOf(requireNonNull(crashes, "crashes is null"));
            requireNonNull(checkpointInterval, "checkpointInterval is null");
        }
    }

    /** What a scenario produced: the checker's report and the node output for failure messages. */
    record Result(ChaosReport report, int nodeStarts, String nodeOutput) {}

    private final Settings settings;
    private final Random random;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Timeline timeline = new Timeline();

    CrashScenario(Settings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.random = new Random(settings.killSeed());
    }

    Result run(Path dir)
            throws Exception
    {
        log("%s: %d clicks at %.0f/s over %d partitions, crashes %s, kill seed %d (repeat with -Dkaflowsql.chaos.seed=%d)",
                settings.guarantee(), settings.clicks(), settings.clicksPerSecond(), settings.partitions(), settings.crashes(),
                settings.killSeed(), settings.killSeed());
        ChaosTraffic traffic = ChaosTraffic.generate(42, settings.clicks(), 0);
        ExpectedClicks expected = new ExpectedClicks(traffic.live());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, settings.partitions())) {
            createTopics(broker);
            ClickFeeder.writeAll(broker.bootstrapServers(), traffic.initialRows());
            Map<String, Map<Integer, Long>> initialEnds = EndOfRunCheck.initialEnds(broker.bootstrapServers());
            log("broker %s up; %d joined rows written; %d clicks, %d pass WHERE", broker.bootstrapServers(), traffic.initialRows().size(),
                    traffic.live().size(), expected.count());
            NodeLauncher launcher = NodeLauncher.create(dir.resolve("node"), SEED_PIPELINE, broker.bootstrapServers(),
                    settings.guarantee(), settings.checkpointInterval());
            try (ClickFeeder feeder = new ClickFeeder(broker.bootstrapServers(), traffic.live(), settings.clicksPerSecond());
                    OutputRecorder recorder = new OutputRecorder(broker.bootstrapServers(), PersonalizationTopics.PERSONALIZED_EVENTS, settings.partitions())) {
                crashAndRecover(launcher, feeder, recorder, expected);
                ChaosReport report = EndOfRunCheck.perform(broker.bootstrapServers(), broker.logDir(), settings.partitions(),
                        settings.guarantee().equals("exactly_once"), initialEnds, feeder, recorder, timeline);
                return new Result(report, launcher.starts(), nodeOutput());
            }
            finally {
                killSurvivors();
                NodeLogs.keep(dir.resolve("node"), settings.guarantee());
            }
        }
    }

    private void crashAndRecover(NodeLauncher launcher, ClickFeeder feeder, OutputRecorder recorder, ExpectedClicks expected)
            throws InterruptedException
    {
        int portion = (settings.clicks() + settings.crashes().size()) / (settings.crashes().size() + 1);
        feeder.start();
        for (Crash crash : settings.crashes()) {
            NodeProcess node = startReady(launcher, crash);
            feeder.release(nodes.size() * portion);
            crash(node, crash, feeder, recorder, portion);
            log("%s is dead; clicks sent %d/%d; output so far %d records, %d distinct event ids of %d",
                    node.name(), feeder.sent(), feeder.total(), recorder.size(), recorder.distinctEventIds(), expected.count());
        }
        NodeProcess last = startReady(launcher, null);
        feeder.release(feeder.total());
        feeder.awaitDone(Duration.ofSeconds(Math.round(settings.clicks() / settings.clicksPerSecond()) + 60));
        log("all %d clicks written", feeder.total());
        long deadline = System.nanoTime() + COMPLETION_TIMEOUT.toNanos();
        while (!expected.allSeenUpTo(feeder.total(), recorder) && last.isAlive() && System.nanoTime() < deadline) {
            recorder.checkFailure();
            Thread.sleep(250);
        }
        log("output has %d distinct event ids of %d (%d records); stopping %s with SIGTERM",
                recorder.distinctEventIds(), expected.count(), recorder.size(), last.name());
        if (!last.stop(Duration.ofSeconds(60))) {
            throw failure(last.name() + " did not stop within 60 s of SIGTERM");
        }
        log("%s exited with status %d", last.name(), last.exitValue());
    }

    private NodeProcess startReady(NodeLauncher launcher, Crash crash)
            throws InterruptedException
    {
        NodeProcess node = launcher.start(crash == null ? List.of() : crash.systemProperties());
        nodes.add(node);
        log("%s started (pid %d)%s", node.name(), node.pid(), crash == null ? ", runs to the end" : ", will die by " + crash);
        if (!node.awaitReady(READY_TIMEOUT)) {
            throw failure(node.name() + (node.isAlive() ? " not ready within " + READY_TIMEOUT.toSeconds() + " s" : " exited before it was ready"));
        }
        log("%s ready", node.name());
        return node;
    }

    private void crash(NodeProcess node, Crash crash, ClickFeeder feeder, OutputRecorder recorder, int portion)
            throws InterruptedException
    {
        if (crash.selfInflicted()) {
            awaitFault(node, crash, feeder, recorder, portion);
            return;
        }
        int delay = MIN_KILL_DELAY_MILLIS + random.nextInt(MAX_KILL_DELAY_MILLIS - MIN_KILL_DELAY_MILLIS);
        Thread.sleep(delay);
        if (!node.isAlive()) {
            throw failure(node.name() + " died by itself (status " + node.exitValue() + ") before the planned SIGKILL");
        }
        node.kill();
        log("%s SIGKILLed %d ms after ready", node.name(), delay);
    }

    /**
     * Waits for the node to halt itself. The fault points count transactions and checkpoints, which
     * only happen while input arrives, so more input is released whenever the feeder ran dry.
     */
    private void awaitFault(NodeProcess node, Crash crash, ClickFeeder feeder, OutputRecorder recorder, int portion)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + FAULT_TIMEOUT.toNanos();
        while (!node.awaitExit(Duration.ofSeconds(1))) {
            if (System.nanoTime() > deadline) {
                log("%s still alive; output so far %d records; thread dump requested (SIGQUIT) into its log", node.name(), recorder.size());
                node.dumpThreads();
                throw failure(node.name() + " did not halt by " + crash + " within " + FAULT_TIMEOUT.toSeconds()
                        + " s (clicks sent " + feeder.sent() + "/" + feeder.total() + "); is that fault-injection switch implemented?");
            }
            if (feeder.caughtUpWithRelease()) {
                feeder.release(feeder.sent() + portion / 2);
            }
        }
        if (node.linesContaining(crash.faultLine()).isEmpty()) {
            throw failure(node.name() + " exited (status " + node.exitValue() + ") without printing '" + crash.faultLine() + "'");
        }
        log("%s halted itself at %s, exit status %d", node.name(), crash, node.exitValue());
    }

    private void createTopics(EmbeddedKafkaBroker broker)
    {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : PersonalizationTopics.INPUTS) {
            topics.put(topic, settings.partitions());
        }
        // created here, not by the node, so the reader can subscribe before the first output
        topics.put(PersonalizationTopics.PERSONALIZED_EVENTS, settings.partitions());
        broker.createTopics(topics, Map.of());
    }

    private void killSurvivors()
            throws InterruptedException
    {
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    /** The last 100 lines of the newest node and the last 15 of each earlier one (how each died). */
    String nodeOutput()
    {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProcess node = nodes.get(i);
            int lines = i == nodes.size() - 1 ? 100 : 15;
            text.append("---- last ").append(lines).append(" lines of ").append(node.name()).append(" ----\n");
            node.tail(lines).forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    private AssertionError failure(String message)
    {
        log("FAILED: %s", message);
        return new AssertionError(message + "\n" + nodeOutput());
    }

    private void log(String format, Object... args)
    {
        timeline.log(format, args);
    }
}
