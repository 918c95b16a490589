package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly-once against a real broker: a second owner of the same tasks fences the first, restores the
 * held records from the changelog alone, and continues without duplicates; bad records (driving and
 * dimension) go to the dead-letter topic with their origin in headers while the good ones around them are
 * processed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactlyOnceOnBrokerTest
{
    private static final int PARTITIONS = 3;
    private static final long T0 = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();

    private EmbeddedKafkaBroker broker;

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
    void newOwnerFencesTheOldOneRestoresHeldRecordsFromTheChangelogAndEmitsEachClickOnce(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception
    {
        String prefix = "f_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        String output = prefix + "personalized_events";
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", T0);
            BrokerFixture.send(producer, prefix + "user_profiles", "u1", "{\"user_id\":\"u1\",\"subscription_tier\":\"free\"}", T0);
            producer.flush();
            KaflowNode first = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateA), List.of(pipeline), Clock.systemUTC());
            try {
                assertThat(first.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                BrokerFixture.send(producer, prefix + "clickstreams", "late", BrokerFixture.click("e-held", "late", T0), T0);
                BrokerFixture.send(producer, prefix + "clickstreams", "u1", BrokerFixture.click("e-1", "u1", T0 + 1), T0 + 1);
                producer.flush();
                BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 1);
                BrokerFixture.waitFor(() -> first.runtimes().get(0).metrics().heldCount() >= 1 && first.runtimes().get(0).metrics().commitCount() >= 2);

                // same cluster and group, its own (empty) state directory: like a node taking over the tasks
                try (KaflowNode second = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateB), List.of(pipeline), Clock.systemUTC())) {
                    assertThat(second.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                    PipelineMetrics secondMetrics = second.runtimes().get(0).metrics();
                    assertThat(secondMetrics.restoredRecords()).as("held record and stream time come from the changelog").isGreaterThan(0);

                    BrokerFixture.send(producer, prefix + "user_profiles", "late", "{\"user_id\":\"late\",\"subscription_tier\":\"premium\"}", T0 + 2);
                    for (int i = 0; i < 3 * PARTITIONS; i++) {
                        BrokerFixture.send(producer, prefix + "clickstreams", "u1", BrokerFixture.click("e-after-" + i, "u1", T0 + 3 + i), T0 + 3 + i);
                    }
                    producer.flush();
                    // the first node also reads these inputs, so it tries to commit and learns it was fenced
                    BrokerFixture.waitFor(() -> first.runtimes().get(0).metrics().fencedTaskCount() >= 1);
                    List<ConsumerRecord<String, String>> written = BrokerFixture.readUntil(broker.bootstrapServers(), output,
                            records -> records.size() >= 2 + 3 * PARTITIONS);
                    Thread.sleep(1_000); // a duplicate, if any, would be committed by now
                    List<String> ids = BrokerFixture.eventIds(BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= written.size()));
                    List<String> expected = new ArrayList<>(List.of("e-1", "e-held"));
                    for (int i = 0; i < 3 * PARTITIONS; i++) {
                        expected.add("e-after-" + i);
                    }
                    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
            finally {
                first.close();
            }
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirOriginAndGoodOnesAreProcessed(@TempDir Path state)
            throws Exception
    {
        String prefix = "d_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                KaflowNode node = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), state), List.of(pipeline), Clock.systemUTC())) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", T0);
            BrokerFixture.send(producer, prefix + "user_profiles", "u1", "{\"user_id\":\"u1\",\"subscription_tier\":\"free\"}", T0);
            BrokerFixture.send(producer, prefix + "products", "p2", "{\"product_id\":", T0);
            producer.flush();
            assertThat(node.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsIn(1) >= 1 && node.runtimes().get(0).metrics().recordsIn(2) >= 1);
            BrokerFixture.send(producer, prefix + "clickstreams", "u1", BrokerFixture.click("good-1", "u1", T0 + 1), T0 + 1);
            BrokerFixture.send(producer, prefix + "clickstreams", "u1", "{\"event_id\":\"truncated\",\"user_id\":\"u1\",\"event_ty", T0 + 2);
            BrokerFixture.send(producer, prefix + "clickstreams", "u1", null, T0 + 3);
            BrokerFixture.send(producer, prefix + "clickstreams", "u1", BrokerFixture.click("good-2", "u1", T0 + 4), T0 + 4);
            producer.flush();

            List<ConsumerRecord<String, String>> dead = BrokerFixture.readUntil(broker.bootstrapServers(), prefix + "personalized_events-dlq",
                    records -> records.size() >= 3);
            PipelineMetrics metrics = node.runtimes().get(0).metrics();
            List<ConsumerRecord<String, String>> good = BrokerFixture.readUntil(broker.bootstrapServers(), prefix + "personalized_events",
                    records -> records.size() >= 2, () -> "pipeline " + node.runtimes().get(0).state() + ": clicks in " + metrics.recordsIn(0)
                            + ", out " + metrics.recordsOut() + ", held " + metrics.heldCount() + ", released " + metrics.releasedCount()
                            + ", rejected " + metrics.rejectedTotal() + ", commits " + metrics.commitCount() + ", aborts " + metrics.abortCount()
                            + ", lookups/hits user_profiles " + metrics.lookups(1) + "/" + metrics.hits(1) + ", products " + metrics.lookups(2) + "/"
                            + metrics.hits(2));

            assertThat(BrokerFixture.eventIds(good)).containsExactlyInAnyOrder("good-1", "good-2");
            assertThat(dead).extracting(record -> header(record, "kaflowsql.error.reason")).containsExactlyInAnyOrder("undecodable", "driving-tombstone", "undecodable");
            assertThat(dead).extracting(record -> header(record, "kaflowsql.source.topic")).contains(prefix + "products");
            ConsumerRecord<String, String> truncated = dead.stream().filter(record -> header(record, "kaflowsql.source.topic").equals(prefix + "clickstreams"))
                    .filter(record -> header(record, "kaflowsql.error.reason").equals("undecodable"))
                    .findFirst().orElseThrow();
            assertThat(truncated.value()).isEqualTo("{\"event_id\":\"truncated\",\"user_id\":\"u1\",\"event_ty");
            assertThat(truncated.key()).isEqualTo("u1");
            assertThat(header(truncated, "kaflowsql.source.topic")).isEqualTo(prefix + "clickstreams");
            assertThat(Long.parseLong(header(truncated, "kaflowsql.source.offset"))).isGreaterThanOrEqualTo(1);
            assertThat(header(truncated, "kaflowsql.error.message")).isNotBlank();
            assertThat(node.runtimes().get(0).metrics().rejectedTotal()).isEqualTo(3);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String key)
    {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
