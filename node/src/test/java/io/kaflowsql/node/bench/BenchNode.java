package io.kaflowsql.node.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * One incarnation of a benchmark node process ({@code node-<number>}): its JVM, its HTTP endpoints
 * ({@code /cluster} for the tasks it has open, {@code /metrics} for counters), its CPU time (from
 * {@code /proc/<pid>/stat}) and its log, read back as time-stamped lines so a benchmark can quote the
 * node's own account of a hand-over. Thread-safe (every call reads the process or its files afresh).
 */
final class BenchNode
{
    private static final ZoneId ZONE = ZoneId.systemDefault();
    /** {@code /proc} CPU times are in clock ticks; 100 per second on every Linux the JVM supports here. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final String id;
    private final int number;
    private final NodeJvm process;
    private final NodeHttpProbe probe;
    private final URI metrics;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** A line of the node's log with its time as epoch milliseconds (the log prints local {@code HH:mm:ss.SSS}). */
    record LogLine(long epochMillis, String text) {}

    BenchNode(String id, int number, NodeJvm process, int httpPort)
    {
        this.id = requireNonNull(id, "id is null");
        this.number = number;
        this.process = requireNonNull(process, "process is null");
        this.probe = new NodeHttpProbe("127.0.0.1", httpPort);
        this.metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    }

    String id()
    {
        return id;
    }

    int number()
    {
        return number;
    }

    NodeJvm process()
    {
        return process;
    }

    boolean ready()
    {
        return probe.ready();
    }

    Optional<JsonNode> view()
    {
        return probe.cluster();
    }

    /** Partitions of the tasks this node has open (empty while it is down or starting). */
    Set<Integer> owned()
    {
        Set<Integer> owned = new TreeSet<>();
        view().ifPresent(json -> json.path("owned").elements().forEachRemaining(task -> owned.add(partitionOf(task.asText()))));
        return owned;
    }

    /** {@code personalization_engine-2} -> 2 */
    static int partitionOf(String task)
    {
        return Integer.parseInt(task.substring(task.lastIndexOf('-') + 1));
    }

    /** Sum of the samples of {@code metric} whose labels contain {@code labelText} (e.g. {@code source="clickstreams"}); empty if unreachable. */
    Optional<Double> metric(String metric, String labelText)
    {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            double sum = 0;
            for (String line : response.body().split("\n")) {
                if (line.startsWith(metric) && line.length() > metric.length() && (line.charAt(metric.length()) == '{' || line.charAt(metric.length()) == ' ') && line.contains(labelText)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Optional.of(sum);
        }
        catch (IOException e) {
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** User + system CPU time of the node process so far; -1 once it is gone. */
    long cpuNanos()
    {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // fields after the command name (which may contain spaces) start at field 3 (state); utime and stime are fields 14 and 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        }
        catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Log lines stamped at or after {@code sinceEpochMillis}, in order. */
    List<LogLine> logSince(long sinceEpochMillis, long nowEpochMillis)
    {
        List<LogLine> lines = new ArrayList<>();
        List<String> text;
        try {
            text = Files.readAllLines(process.logFile(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            return lines;
        }
        LocalDate today = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowEpochMillis), ZONE);
        for (String line : text) {
            if (line.length() < 12 || line.charAt(2) != ':' || line.charAt(8) != '.') {
                continue;
            }
            long millis;
            try {
                millis = LocalTime.parse(line.substring(0, 12)).atDate(today).atZone(ZONE).toInstant().toEpochMilli();
            }
            catch (DateTimeParseException e) {
                continue;
            }
            if (millis > nowEpochMillis + 60_000) {
                millis -= Duration.ofDays(1).toMillis();
            }
            if (millis >= sinceEpochMillis) {
                lines.add(new LogLine(millis, line));
            }
        }
        return lines;
    }

    /** The last {@code count} lines of the log, for failure messages. */
    List<String> tail(int count)
    {
        try {
            List<String> lines = Files.readAllLines(process.logFile(), StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        }
        catch (IOException e) {
            return List.of("(cannot read " + process.logFile() + ": " + e.getMessage() + ")");
        }
    }
}
