package io.kaflowsql.node.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code demo --nodes N} prints from the nodes' {@code /cluster} views and counters, without processes:
 * unreadable endpoints print {@code n/a} (not 0 or []), rates and totals come from counter deltas, and the
 * assignment counts as settled only when every task is open on exactly its assigned owner.
 */
class ClusterReportTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNERS = "\"owners\": {\"p-0\": \"node-1\", \"p-1\": \"node-2\", \"p-2\": \"node-1\"}";
    private static final String STANDBYS = "\"standbys\": {\"p-0\": [\"node-2\"], \"p-1\": [\"node-1\"], \"p-2\": [\"node-2\"]}";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final ClusterReport report = new ClusterReport("p", new PrintStream(printed, true, StandardCharsets.UTF_8));

    @Test
    void printsLeaderGenerationAndPerNodeTasksStandbysAndRates()
    {
        report.startMeasuring(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 100, 0), sample("node-2", view("node-2", 7, "p-1"), 50, 0)), 0);

        report.print(5, List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 600, 5_000), sample("node-2", view("node-2", 7, "p-1"), 300, 5_000)));

        assertThat(text()).contains("[   5s] leader node-1, generation 7, 3 tasks, 3 open");
        assertThat(line("node-1")).contains("READY").contains("owns [0, 2]").contains("standby [1]").containsPattern("\\b100 events/s");
        assertThat(line("node-2")).contains("READY").contains("owns [1]").contains("standby [0, 2]").containsPattern("\\b50 events/s");
        assertThat(ClusterReport.settled(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 0, 0),
                sample("node-2", view("node-2", 7, "p-1"), 0, 0)))).isTrue();
    }

    @Test
    void unreadableEndpointsPrintNotAvailableInsteadOfZeroOrEmpty()
    {
        report.startMeasuring(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 100, 0), sample("node-2", view("node-2", 7, "p-1"), 50, 0)), 0);

        report.print(5, List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 600, 5_000),
                new NodeSample("node-2", true, Optional.empty(), OptionalDouble.empty(), 5_000)));
        long total = report.printResult(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 600, 6_000),
                new NodeSample("node-2", true, Optional.empty(), OptionalDouble.empty(), 6_000)), 6_000, "");

        assertThat(line("node-2")).contains("owns n/a").contains("standby n/a").contains("n/a events/s").doesNotContain("[]").doesNotContain(" 0 events/s");
        assertThat(text()).contains("3 tasks, 2 open on the nodes that answered");
        assertThat(text()).contains("RESULT events_out=500 over 6.0 s (83/s) with 2 nodes: node-1=500 node-2=n/a");
        assertThat(total).isEqualTo(500);
    }

    @Test
    void nodeNeverReadHasNoTotal()
    {
        report.startMeasuring(List.of(new NodeSample("node-1", true, Optional.empty(), OptionalDouble.empty(), 0)), 0);

        report.printResult(List.of(new NodeSample("node-1", false, Optional.empty(), OptionalDouble.empty(), 2_000)), 2_000, "stopped early");

        assertThat(text()).contains("RESULT events_out=0 over 2.0 s (0/s) with 1 nodes: node-1=n/a (stopped early)");
    }

    @Test
    void taskAssignedButNotYetOpenShowsAsOpeningAndIsNotSettled()
    {
        List<NodeSample> samples = List.of(sample("node-1", view("node-1", 7, "p-0"), 0, 0), sample("node-2", view("node-2", 7, "p-1"), 0, 0));

        report.print(1, samples);

        assertThat(line("node-1")).contains("owns [0]").contains("opening [2]");
        assertThat(ClusterReport.settled(samples)).isFalse();
    }

    @Test
    void notSettledWhileATaskIsOpenTwiceOrNodesDisagreeOrOneIsNotReady()
    {
        assertThat(ClusterReport.settled(List.of(sample("node-1", view("node-1", 7, "p-0", "p-1", "p-2"), 0, 0),
                sample("node-2", view("node-2", 7, "p-1"), 0, 0)))).isFalse();
        assertThat(ClusterReport.settled(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 0, 0),
                sample("node-2", view("node-2", 6, "p-1"), 0, 0)))).isFalse();
        assertThat(ClusterReport.settled(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 0, 0),
                sample("node-2", json("{\"lifecycle\": \"BOOTSTRAPPING\", \"generation\": 7, \"owned\": [\"p-1\"], " + OWNERS + "}"), 0, 0)))).isFalse();
        assertThat(ClusterReport.settled(List.of(sample("node-1", view("node-1", 7, "p-0", "p-2"), 0, 0),
                new NodeSample("node-2", true, Optional.empty(), OptionalDouble.empty(), 0)))).isFalse();
    }

    private static NodeSample sample(String node, JsonNode view, double recordsOut, long millis)
    {
        return new NodeSample(node, true, Optional.of(view), OptionalDouble.of(recordsOut), millis);
    }

    private static JsonNode view(String node, long generation, String... owned)
    {
        String list = String.join("\", \"", owned);
        return json("{\"nodeId\": \"" + node + "\", \"lifecycle\": \"READY\", \"leader\": \"node-1\", \"generation\": " + generation
                + ", \"owned\": [" + (owned.length == 0 ? "" : "\"" + list + "\"") + "], " + OWNERS + ", " + STANDBYS + "}");
    }

    private static JsonNode json(String text)
    {
        try {
            return JSON.readTree(text);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String text()
    {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String line(String node)
    {
        return text().lines().filter(line -> line.trim().startsWith(node + " ")).reduce((first, second) -> second).orElse("");
    }
}
