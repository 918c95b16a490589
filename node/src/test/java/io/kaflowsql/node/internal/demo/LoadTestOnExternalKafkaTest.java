package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kaflowsql load-test --bootstrap HOST:PORT}: the load test against a Kafka cluster it did not start
 * (here a broker this test starts, standing for an existing cluster). It creates the topics there, runs
 * as a cluster of its own name and ends with throughput, latency, join hit rates and memory.
 */
class LoadTestOnExternalKafkaTest
{
    private static final Pattern EVENTS_OUT = Pattern.compile("RESULT events_out=(\\d+) over");

    @Test
    void theLoadTestRunsAgainstAnExistingClusterAndReportsEverything(@TempDir Path dataDir)
            throws Exception
    {
        try (EmbeddedKafkaBroker existing = EmbeddedKafkaBroker.start(dataDir.resolve("existing-broker"), 0, 2)) {
            DemoSettings settings = new DemoSettings(300, 100, 100, 2, OutputFormat.JSON, "../pipelines/personalization/pipeline.yaml",
                    Optional.of(Duration.ofSeconds(12)), 0, 0, Optional.of(dataDir.resolve("run")), 0, Duration.ofSeconds(3), Duration.ofSeconds(4), 1,
                    Optional.of(existing.bootstrapServers()));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            long written = new DemoRunner(settings, new PrintStream(printed, true, StandardCharsets.UTF_8), Clock.systemUTC()).run();
            String console = printed.toString(StandardCharsets.UTF_8);

            assertThat(console).contains("Kafka broker (external) ready at " + existing.bootstrapServers());
            assertThat(written).as(console).isPositive();
            Matcher eventsOut = EVENTS_OUT.matcher(console);
            assertThat(eventsOut.find()).as(console).isTrue();
            assertThat(Long.parseLong(eventsOut.group(1))).isPositive();
            assertThat(console).containsPattern("p50=[\\d.]+ ms p95=[\\d.]+ ms p99=[\\d.]+ ms")
                    .containsPattern("RESULT join hit rate: .*user_profiles \\d+\\.\\d%.*products \\d+\\.\\d%.*purchase_history \\d+\\.\\d%")
                    .containsPattern("RESULT memory: heap used [\\d,]+ MiB of [\\d,]+ MiB committed .*\\(one process: node and load generator\\)");

            Matcher clusterName = Pattern.compile("Running as cluster (kaflowsql-loadtest-\\S+) ").matcher(console);
            assertThat(clusterName.find()).as(console).isTrue();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, existing.bootstrapServers()))) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("clickstreams", "user_profiles", "products", "purchase_history", "personalized_events",
                        clusterName.group(1) + "-personalization_engine-changelog");
                assertThat(topics).noneMatch(topic -> topic.startsWith("kaflowsql-personalization_engine"));
            }
        }
    }
}
