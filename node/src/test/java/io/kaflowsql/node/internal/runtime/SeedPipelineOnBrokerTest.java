package io.kaflowsql.node.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real runtime against a real (embedded) Kafka broker: the seed pipeline's output on Kafka equals
 * what the test driver computes for the same input, and a restarted node keeps its held records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedPipelineOnBrokerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;

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
    void outputOnKafkaEqualsTheTestDriversOutput(@TempDir Path stateDir, @TempDir Path driverDir)
            throws Exception
    {
        String prefix = "a_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(200).withProducts(100));
        List<GeneratedRecord> input = new ArrayList<>();
        input.addAll(dataset.userProfiles());
        input.addAll(dataset.products());
        input.addAll(dataset.purchaseHistory());
        long time = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        for (int i = 0; i < 1_500; i++) {
            input.add(dataset.nextClick(time + i * 10L));
        }

        Map<String, JsonNode> expected = new HashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, driverDir)) {
            input.forEach(record -> driver.pipe(prefix + record.topic(), record.key(), record.json(), record.timestampMillis()));
            for (OutputRecord output : driver.readOutputs()) {
                JsonNode event = JSON.readTree(output.value());
                expected.put(event.get("event_id").asText(), event);
            }
        }
        assertThat(expected).hasSizeGreaterThan(1_000);

        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                KaflowNode node = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateDir), List.of(pipeline), Clock.systemUTC())) {
            input.stream().filter(record -> !record.topic().equals("clickstreams"))
                    .forEach(record -> BrokerFixture.send(producer, prefix + record.topic(), record.key(), record.json(), record.timestampMillis()));
            producer.flush();
            assertThat(node.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            // Event-table rows first: the runtime does not yet align topics by timestamp, so a click
            // consumed before its user's purchase history would (correctly) miss it.
            BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().recordsIn(3) >= dataset.purchaseHistoryCount());
            input.stream().filter(record -> record.topic().equals("clickstreams"))
                    .forEach(record -> BrokerFixture.send(producer, prefix + record.topic(), record.key(), record.json(), record.timestampMillis()));
            producer.flush();

            List<ConsumerRecord<String, String>> written = BrokerFixture.readUntil(broker.bootstrapServers(), prefix + "personalized_events",
                    records -> records.size() >= expected.size());
            Map<String, JsonNode> actual = new HashMap<>();
            for (ConsumerRecord<String, String> record : written) {
                JsonNode event = JSON.readTree(record.value());
                assertThat(actual.put(event.get("event_id").asText(), event)).as("duplicate output").isNull();
                assertThat(record.key()).isEqualTo(event.get("user_id").asText());
            }
            assertThat(actual).isEqualTo(expected);
            assertThat(node.runtimes().get(0).metrics().hitRate(1)).isGreaterThan(0.85);
        }
    }

    @Test
    void restartedNodeKeepsHeldRecordsAndResumesFromCommittedOffsets(@TempDir Path stateDir)
            throws Exception
    {
        String prefix = "b_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        long t0 = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        String output = prefix + "personalized_events";
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", t0);
            BrokerFixture.send(producer, prefix + "user_profiles", "known", "{\"user_id\":\"known\",\"subscription_tier\":\"free\"}", t0);
            producer.flush();
            try (KaflowNode node = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateDir), List.of(pipeline), Clock.systemUTC())) {
                assertThat(node.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                BrokerFixture.send(producer, prefix + "clickstreams", "late", BrokerFixture.click("e-held", "late", t0), t0);
                BrokerFixture.send(producer, prefix + "clickstreams", "known", BrokerFixture.click("e-now", "known", t0 + 1), t0 + 1);
                producer.flush();
                BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 1, () -> describe(node));
                waitForHeld(node, 1);
            }
            try (KaflowNode node = KaflowNode.start(BrokerFixture.config(broker.bootstrapServers(), stateDir), List.of(pipeline), Clock.systemUTC())) {
                assertThat(node.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                BrokerFixture.send(producer, prefix + "user_profiles", "late", "{\"user_id\":\"late\",\"subscription_tier\":\"premium\"}", t0 + 2);
                producer.flush();
                List<ConsumerRecord<String, String>> written = BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 2,
                        () -> describe(node));
                Thread.sleep(500);
                List<String> ids = new ArrayList<>();
                for (ConsumerRecord<String, String> record : BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= written.size())) {
                    ids.add(JSON.readTree(record.value()).get("event_id").asText());
                }
                assertThat(ids).containsExactlyInAnyOrder("e-now", "e-held");
            }
        }
    }

    private static String describe(KaflowNode node)
    {
        var metrics = node.runtimes().get(0).metrics();
        return "state " + node.runtimes().get(0).state() + ", clicks in " + metrics.recordsIn(0) + ", users in " + metrics.recordsIn(1)
                + ", products in " + metrics.recordsIn(2) + ", out " + metrics.recordsOut() + ", held " + metrics.heldCount()
                + ", released " + metrics.releasedCount() + ", rejected " + metrics.rejectedTotal();
    }

    private static void waitForHeld(KaflowNode node, long count)
            throws InterruptedException
    {
        BrokerFixture.waitFor(() -> node.runtimes().get(0).metrics().heldCount() >= count);
    }
}
