package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code kaflowsql demo --nodes 2}, run from this JVM as the CLI runs it ({@link DemoRunner}): two node processes
 * (started by {@code NodeJvm} on this JVM's class path) join one cluster on the embedded broker. The test reads
 * only what the demo prints and stops it (as Ctrl-C would) once, after the demo says the assignment settled, a
 * summary shows both nodes with tasks and events flowing. The printed output must then show both nodes READY,
 * the seed pipeline's tasks spread over them (each owns some, none is open twice, all are open), events written
 * in the {@code RESULT} line (it measures from the settling), and both nodes stopping cleanly.
 */
class ClusterDemoTest
{
    private static final int NODES = 2;
    private static final int PARTITIONS = 3;
    /** A bound for failing, not the expected time: on an idle 2-core machine the nodes own tasks and write events within ~2 minutes. */
    private static final Duration DEADLINE = Duration.ofMinutes(6);
    private static final Pattern NODE_LINE = Pattern.compile(
            "^\\s+(node-\\d+)\\s+(\\S+)\\s+owns (\\[[^]]*]|n/a)\\s+standby (\\[[^]]*]|n/a)\\s+(\\S+) events/s.*$");
    private static final Pattern RESULT = Pattern.compile("^RESULT events_out=(\\d+) over .* with (\\d+) nodes:(.*)$", Pattern.MULTILINE);

    @Test
    void twoNodeDemoShowsTasksSpreadOverReadyNodesAndEventsFlowing(@TempDir Path dataDir)
            throws Exception
    {
        DemoSettings settings = new DemoSettings(300, 100, 100, PARTITIONS, OutputFormat.JSON, "../pipelines/personalization/pipeline.yaml",
                Optional.empty(), 0, 0, Optional.of(dataDir), 1, Duration.ofSeconds(3), Duration.ZERO, NODES);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoRunner demo = new DemoRunner(settings, new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong written = new AtomicLong(-1);
        Thread runner = new Thread(() -> {
            try {
                written.set(demo.run());
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "cluster-demo");
        runner.start();
        List<NodeLine> block;
        try {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!spreadAndFlowing(block = lastBlock(afterSettling(text(printed))))) {
                if (!runner.isAlive()) {
                    fail("demo ended early (failure %s); it printed:%n%s%s", failure.get(), text(printed), logs(dataDir));
                }
                if (System.nanoTime() > deadline) {
                    fail("both nodes own tasks and write events within %s; demo printed:%n%s%s", DEADLINE, text(printed), logs(dataDir));
                }
                Thread.sleep(1_000);
            }
        }
        finally {
            demo.stop(); // as Ctrl-C: the demo prints RESULT, then stops the nodes
            runner.join(Duration.ofSeconds(150).toMillis());
        }
        String output = text(printed);
        assertThat(runner.isAlive()).as("demo still running after stop; it printed:%n%s", output).isFalse();
        assertThat(failure.get()).as("demo failed; it printed:%n%s", output).isNull();

        assertThat(output).contains("Cluster ready: " + NODES + " nodes");
        assertThat(block).as(output).hasSize(NODES).allSatisfy(line -> assertThat(line.lifecycle()).isEqualTo("READY"));
        Set<String> open = new TreeSet<>();
        int openCount = 0;
        for (NodeLine line : block) {
            assertThat(line.owned()).as("tasks of %s in:%n%s", line.node(), output).isNotEmpty();
            open.addAll(line.owned());
            openCount += line.owned().size();
        }
        assertThat(open).as("every task open once over the nodes:%n%s", output).containsExactly("0", "1", "2");
        assertThat(openCount).as("no task open twice:%n%s", output).isEqualTo(PARTITIONS);

        Matcher result = RESULT.matcher(output);
        assertThat(result.find()).as("RESULT line in:%n%s", output).isTrue();
        assertThat(Long.parseLong(result.group(1))).as(output).isPositive();
        assertThat(result.group(2)).isEqualTo(Integer.toString(NODES));
        assertThat(written.get()).isEqualTo(Long.parseLong(result.group(1)));
        for (int i = 1; i <= NODES; i++) {
            assertThat(output).as(output).contains("node-" + i + " stopped cleanly");
        }
    }

    private record NodeLine(String node, String lifecycle, Set<String> owned, String rate) {}

    /** Both nodes own tasks, every task is open on one node (not two, as during a hand-over), and the nodes together write events. */
    private static boolean spreadAndFlowing(List<NodeLine> block)
    {
        if (block.size() != NODES) {
            return false;
        }
        Set<String> open = new HashSet<>();
        int openCount = 0;
        double rate = 0;
        for (NodeLine line : block) {
            if (line.owned().isEmpty()) {
                return false;
            }
            open.addAll(line.owned());
            openCount += line.owned().size();
            rate += line.rate().matches("\\d+") ? Double.parseDouble(line.rate()) : 0;
        }
        return open.size() == PARTITIONS && openCount == PARTITIONS && rate > 0;
    }

    /** What the demo printed once the assignment settled (its measured period starts there), or nothing before. */
    private static String afterSettling(String output)
    {
        int settled = output.indexOf("Assignment settled after");
        return settled < 0 ? "" : output.substring(settled);
    }

    /** The per-node lines of the last complete summary block. */
    private static List<NodeLine> lastBlock(String output)
    {
        List<NodeLine> block = new ArrayList<>();
        List<NodeLine> last = List.of();
        for (String line : output.lines().toList()) {
            if (line.startsWith("[")) {
                block = new ArrayList<>();
                continue;
            }
            Matcher matcher = NODE_LINE.matcher(line);
            if (matcher.matches()) {
                block.add(new NodeLine(matcher.group(1), matcher.group(2), tasks(matcher.group(3)), matcher.group(5)));
                if (block.size() == NODES) {
                    last = block;
                }
            }
        }
        return last;
    }

    private static Set<String> tasks(String list)
    {
        Set<String> tasks = new TreeSet<>();
        if (list.startsWith("[") && list.length() > 2) {
            for (String task : list.substring(1, list.length() - 1).split(",")) {
                tasks.add(task.trim());
            }
        }
        return tasks;
    }

    /** The last lines of every node's log, for failure messages (the temporary directory is gone afterwards). */
    private static String logs(Path dataDir)
    {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= NODES; i++) {
            Path log = dataDir.resolve("node-" + i + ".log");
            text.append("\n---- last 40 lines of ").append(log.getFileName()).append(" ----\n");
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(line -> text.append(line).append('\n'));
            }
            catch (IOException e) {
                text.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return text.toString();
    }

    private static String text(ByteArrayOutputStream printed)
    {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
