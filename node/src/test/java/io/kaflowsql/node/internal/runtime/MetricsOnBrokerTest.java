package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} of a node running the seed pipeline against a real (embedded) broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsOnBrokerTest
{
    private static final int PARTITIONS = 3;
    private static final int USERS = 6;
    private static final int CLICKS = 60;
    private static final String PREFIX = "m_";
    private static final String PIPELINE = PREFIX + "personalization";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafkaBroker broker;
    private int port;

    @BeforeAll
    void startBroker(@TempDir Path brokerDir)
    {
        broker = EmbeddedKafkaBroker.start(brokerDir, 0, PARTITIONS);
    }

    @AfterAll
    void stopBroker()
    {
        broker.close();
    }

    @Test
    void metricsEndpointReportsThePipelineItsTasksAndTheJvm(@TempDir Path stateDir)
            throws Exception
    {
        BrokerFixture.createSeedTopics(broker, PREFIX, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(PREFIX);
        long now = Clock.systemUTC().millis();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                KaflowNode node = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateDir), List.of(pipeline), Clock.systemUTC())) {
            port = node.httpPort();
            BrokerFixture.send(producer, PREFIX + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", now);
            for (int user = 0; user < USERS; user++) {
                BrokerFixture.send(producer, PREFIX + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", now);
            }
            BrokerFixture.send(producer, PREFIX + "purchase_history", "u0", "{\"user_id\":\"u0\",\"last_category\":\"books\"}", now);
            producer.flush();
            assertThat(node.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsIn(3) >= 1
                    && scrape("/metrics").value("kaflowsql_dimension_rows", "source", PREFIX + "user_profiles").orElse(0.0) >= USERS
                    && scrape("/metrics").value("kaflowsql_dimension_rows", "source", PREFIX + "products").orElse(0.0) >= 1);
            for (int i = 0; i < CLICKS; i++) {
                String user = "u" + (i % USERS);
                BrokerFixture.send(producer, PREFIX + "clickstreams", user, BrokerFixture.click("e" + i, user, now + i), now + i);
            }
            producer.flush();
            List<ConsumerRecord<String, String>> written = BrokerFixture.readUntil(broker.bootstrapServers(), PREFIX + "personalized_events",
                    records -> records.size() >= CLICKS);

            // gauges are sampled once a second: wait until every task reported its caught-up lag and state size
            BrokerFixture.waitFor(() -> {
                Scrape scrape = scrape("/metrics");
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    String p = Integer.toString(partition);
                    if (scrape.value("kaflowsql_consumer_lag", "source", PREFIX + "clickstreams", "partition", p).orElse(Double.NaN) != 0
                            || scrape.value("kaflowsql_state_size_bytes", "partition", p).orElse(Double.NaN).isNaN()) {
                        return false;
                    }
                }
                return scrape.value("kaflowsql_records_out_total").orElse(0.0) >= CLICKS;
            });
            HttpResponse<String> response = get("/metrics");
            Scrape scrape = new Scrape(response.body());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(written).hasSize(CLICKS);
            assertThat(scrape.value("kaflowsql_records_in_total", "source", PREFIX + "clickstreams")).contains((double) CLICKS);
            assertThat(scrape.value("kaflowsql_records_in_total", "source", PREFIX + "user_profiles")).contains((double) USERS);
            assertThat(scrape.value("kaflowsql_records_out_total")).contains((double) written.size());
            for (String joined : List.of("user_profiles", "products", "purchase_history")) {
                assertThat(scrape.value("kaflowsql_join_hit_rate", "source", PREFIX + joined)).as(joined).hasValueSatisfying(rate -> assertThat(rate).isBetween(0.0, 1.0));
            }
            assertThat(scrape.value("kaflowsql_join_hit_rate", "source", PREFIX + "user_profiles")).contains(1.0);
            assertThat(scrape.value("kaflowsql_join_hit_rate", "source", PREFIX + "purchase_history")).contains(1.0 / USERS);
            assertThat(scrape.value("kaflowsql_end_to_end_latency_seconds", "quantile", "0.99")).hasValueSatisfying(p99 -> assertThat(p99).isPositive());
            assertThat(scrape.value("kaflowsql_end_to_end_latency_seconds", "quantile", "0.5")).isPresent();
            assertThat(scrape.value("kaflowsql_end_to_end_latency_seconds_count")).contains((double) CLICKS);
            assertThat(scrape.value("kaflowsql_end_to_end_latency_histogram_seconds_bucket", "le", "+Inf")).contains((double) CLICKS);
            assertThat(scrape.value("kaflowsql_processing_latency_seconds", "quantile", "0.99")).isPresent();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                String p = Integer.toString(partition);
                for (String topic : List.of("clickstreams", "purchase_history", "user_profiles", "products")) {
                    assertThat(scrape.value("kaflowsql_consumer_lag", "source", PREFIX + topic, "partition", p)).as(topic + "-" + p).isPresent();
                }
                assertThat(scrape.value("kaflowsql_state_size_bytes", "partition", p)).hasValueSatisfying(bytes -> assertThat(bytes).isPositive());
                assertThat(scrape.value("kaflowsql_state_keys", "partition", p)).hasValueSatisfying(keys -> assertThat(keys).isNotNegative());
            }
            assertThat(scrape.value("kaflowsql_checkpoints_total")).isPresent();
            assertThat(scrape.value("kaflowsql_checkpoint_duration_seconds_count")).isPresent();
            assertThat(scrape.value("kaflowsql_restores_total")).contains((double) PARTITIONS);
            assertThat(scrape.value("kaflowsql_restore_duration_seconds_count")).contains((double) PARTITIONS);
            assertThat(scrape.value("kaflowsql_pipeline_state", "state", "running")).contains(1.0);
            assertThat(scrape.value("kaflowsql_pipeline_state", "state", "failed")).contains(0.0);
            assertThat(scrape.value("kaflowsql_tasks")).contains((double) PARTITIONS);
            assertThat(scrape.value("kaflowsql_dimension_rows", "source", PREFIX + "user_profiles")).contains((double) USERS);
            assertThat(scrape.value("kaflowsql_dead_letters_total", "reason", "undecodable")).contains(0.0);
            assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds",
                    "jvm_classes_loaded_classes");
            assertThat(get("/metricsx").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(String path)
    {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    private Scrape scrape(String path)
    {
        return new Scrape(get(path).body());
    }

    /** The samples of one Prometheus text-format scrape of the test's pipeline (and the node-wide JVM meters). */
    private record Scrape(List<Sample> samples)
    {
        Scrape(String body)
        {
            this(parse(body));
        }

        private static List<Sample> parse(String body)
        {
            List<Sample> samples = new ArrayList<>();
            for (String line : body.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (line.startsWith("#") || !sample.matches()) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
            }
            return samples;
        }

        /** The value of the one sample of {@code name} of the test's pipeline with the given labels (others ignored). */
        Optional<Double> value(String name, String... labels)
        {
            List<Sample> matching = samples.stream()
                    .filter(sample -> sample.name().equals(name) && PIPELINE.equals(sample.labels().get("pipeline")))
                    .filter(sample -> {
                        for (int i = 0; i < labels.length; i += 2) {
                            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .toList();
            assertThat(matching.size()).as("samples of %s %s", name, List.of(labels)).isLessThanOrEqualTo(1);
            return matching.stream().findFirst().map(Sample::value);
        }

        List<String> names()
        {
            return samples.stream().map(Sample::name).distinct().toList();
        }
    }

    private record Sample(String name, Map<String, String> labels, double value) {}
}
