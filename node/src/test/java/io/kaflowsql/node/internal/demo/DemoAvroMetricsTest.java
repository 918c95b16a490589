package io.kaflowsql.node.internal.demo;

import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.engine.api.OutputFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kaflowsql demo --format avro}, in this JVM: the embedded registry starts, the seed pipeline
 * writes Avro, and the seed's three monitoring commands ({@code curl :8080/metrics | grep ...}) each find
 * their metric with real values.
 */
class DemoAvroMetricsTest
{
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);

    @Test
    void demoWithAvroServesTheSeedsThreeMetrics(@TempDir Path dataDir)
            throws Exception
    {
        int httpPort = FreePorts.pick();
        DemoSettings settings = new DemoSettings(300, 100, 100, 2, OutputFormat.AVRO, "../pipelines/personalization/pipeline.yaml",
                Optional.of(Duration.ofMinutes(4)), httpPort, 0, Optional.of(dataDir), 1, Duration.ofSeconds(2), Duration.ZERO);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoRunner demo = new DemoRunner(settings, new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                demo.run();
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "demo");
        runner.start();
        try {
            String metrics = scrapeUntil(httpPort, text -> positive(text, "personalization_score_avg_samples_total")
                    && positive(text, "category_affinity_histogram_seconds_count") && !samples(text, "kaflowsql_join_hit_rate").isEmpty()
                    && samples(text, "kaflowsql_join_hit_rate").stream().noneMatch(value -> value.isNaN())
                    && printed.toString(StandardCharsets.UTF_8).contains("sample: (schema id "), failure, printed);

            // the seed's monitoring section: curl http://localhost:8080/metrics | grep <name>
            assertThat(grep(metrics, "personalization_score_avg")).isNotEmpty();
            assertThat(grep(metrics, "category_affinity_histogram")).isNotEmpty();
            assertThat(grep(metrics, "join_hit_rate")).isNotEmpty();
            // and the values mean something: affinities are 0.3, 0.8 or 0.9, hit rates are shares
            assertThat(samples(metrics, "personalization_score_avg")).isNotEmpty().allSatisfy(mean -> assertThat(mean).isBetween(0.3 - 1e-9, 0.9 + 1e-9));
            assertThat(samples(metrics, "kaflowsql_join_hit_rate")).hasSize(3).allSatisfy(rate -> assertThat(rate).isBetween(0.5, 1.0));
            assertThat(grep(metrics, "category_affinity_histogram_seconds_bucket{")).anyMatch(line -> line.contains("le=\"0.3\""));
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("Schema registry (embedded, Confluent-compatible) at http://127.0.0.1:")
                    .contains("sample: (schema id ");
        }
        finally {
            demo.stop();
            runner.join(60_000);
        }
        assertThat(failure.get()).isNull();
        assertThat(runner.isAlive()).isFalse();
    }

    private static String scrapeUntil(int port, Predicate<String> done, AtomicReference<Throwable> failure, ByteArrayOutputStream printed)
            throws IOException, InterruptedException
    {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String text = "";
        while (!done.test(text)) {
            assertThat(failure.get()).as("demo failed; it printed:%n%s", printed).isNull();
            assertThat(System.nanoTime()).as("metrics in time; demo printed:%n%s%nlast scrape:%n%s", printed, text).isLessThan(deadline);
            Thread.sleep(500);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                text = response.statusCode() == 200 ? response.body() : "";
            }
            catch (IOException e) {
                text = ""; // the node is not listening yet
            }
        }
        return text;
    }

    private static List<String> grep(String text, String needle)
    {
        return text.lines().filter(line -> line.contains(needle)).toList();
    }

    private static List<Double> samples(String text, String name)
    {
        Matcher matcher = SAMPLE.matcher(text);
        List<Double> values = new java.util.ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                values.add(Double.parseDouble(matcher.group(3)));
            }
        }
        return values;
    }

    private static boolean positive(String text, String name)
    {
        return samples(text, name).stream().anyMatch(value -> value > 0);
    }
}
