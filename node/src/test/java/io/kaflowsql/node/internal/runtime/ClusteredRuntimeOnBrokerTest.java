package io.kaflowsql.node.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.DimensionBootstrap;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cluster mode of the runtime against a real broker: two runtimes of the same pipeline (same cluster and
 * consumer group, separate state directories, like two nodes) hand tasks over and back — planned moves
 * with a warm-up first — and every click is written exactly once with the enrichment a single test driver
 * computes. A task lost to fencing stays away until it is named again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusteredRuntimeOnBrokerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 4;
    private static final Set<Integer> ALL = Set.of(0, 1, 2, 3);

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
    void tasksMovedToAnotherRuntimeAndBackEmitEveryClickOnceWithItsEnrichment(@TempDir Path stateA, @TempDir Path stateB, @TempDir Path driverDir)
            throws Exception
    {
        String prefix = "m_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(200).withProducts(100));
        List<GeneratedRecord> tables = Stream.of(dataset.userProfiles(), dataset.products(), dataset.purchaseHistory()).flatMap(List::stream).toList();
        List<List<GeneratedRecord>> phases = new ArrayList<>();
        long time = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        for (int phase = 0; phase < 3; phase++) {
            List<GeneratedRecord> clicks = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                clicks.add(dataset.nextClick(time));
                time += 10;
            }
            phases.add(clicks);
        }
        Map<String, JsonNode> expected = expectedOutput(pipeline, prefix, driverDir, tables, phases);
        assertThat(expected).hasSizeGreaterThan(800);

        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                PipelineRuntime a = new PipelineRuntime(pipeline, settings(stateA));
                PipelineRuntime b = new PipelineRuntime(pipeline, settings(stateB))) {
            send(producer, prefix, tables);
            a.startClustered(DimensionBootstrap.NONE);
            b.startClustered(DimensionBootstrap.NONE);
            BrokerFixture.waitFor(() -> a.isReady() && b.isReady());
            assertThat(a.partitionCount()).hasValue(PARTITIONS);
            assertThat(a.dimensionsReady()).isTrue();
            assertThat(a.ownedPartitions()).as("cluster mode runs without tasks until told to own some").isEmpty();

            a.own(ALL);
            BrokerFixture.waitFor(() -> a.ownedPartitions().equals(ALL));
            // event-table rows before clicks: the runtime does not align topics by timestamp
            BrokerFixture.waitFor(() -> a.metrics().recordsIn(3) >= dataset.purchaseHistoryCount());
            send(producer, prefix, phases.get(0));

            // planned move of 2 and 3 to B: B warms up while A processes, A releases, B takes over
            assertThatThrownBy(() -> a.warm(2)).as("a task open here is not warmed").isInstanceOf(IllegalStateException.class);
            assertThat(b.warm(2)).isNotNegative();
            assertThat(b.warm(3)).isNotNegative();
            assertThat(checkpointsOf(stateB, pipeline, 2)).as("the warm-up leaves a checkpoint, not a store").isNotEmpty();
            assertThat(stateB.resolve(pipeline.name()).resolve("task-2").resolve("warm")).doesNotExist();
            a.own(Set.of(0, 1));
            BrokerFixture.waitFor(() -> a.ownedPartitions().equals(Set.of(0, 1)));
            b.own(Set.of(2, 3));
            BrokerFixture.waitFor(() -> b.ownedPartitions().equals(Set.of(2, 3)));
            send(producer, prefix, phases.get(1));

            // and everything back to A, restored ahead: A restores 2 and 3 while B still processes clicks of them,
            // then after B's release A only fences and reads the changelog B wrote since
            a.warm(2);
            a.warm(3);
            a.prepare(Set.of(2, 3));
            BrokerFixture.waitFor(() -> a.preparedPartitions().equals(Set.of(2, 3)));
            assertThat(a.ownedPartitions()).as("restored ahead, not open").isEqualTo(Set.of(0, 1));
            // read before sending: B may process the whole phase before send() returns, and then its count never moves again
            long processedByB = b.metrics().recordsIn(0);
            send(producer, prefix, phases.get(2));
            BrokerFixture.waitFor(() -> b.metrics().recordsIn(0) > processedByB);
            b.own(Set.of());
            BrokerFixture.waitFor(() -> b.ownedPartitions().isEmpty());
            a.own(ALL);
            BrokerFixture.waitFor(() -> a.ownedPartitions().equals(ALL));
            assertThat(a.preparedPartitions()).as("the prepared tasks are open now").isEmpty();

            Map<String, JsonNode> actual = readOutputExactlyOnce(prefix + "personalized_events", expected.size());
            assertThat(actual).isEqualTo(expected);
            assertThat(b.metrics().restoreCount()).as("B opened tasks restored from its warm checkpoints").isGreaterThanOrEqualTo(2);
            assertThat(a.metrics().fencedTaskCount() + b.metrics().fencedTaskCount()).as("planned moves fence nobody mid-flight").isZero();
        }
    }

    @Test
    void fencedTaskIsNotReopenedUntilItIsOwnedAgain(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception
    {
        String prefix = "n_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        long t0 = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                PipelineRuntime a = new PipelineRuntime(pipeline, settings(stateA));
                PipelineRuntime b = new PipelineRuntime(pipeline, settings(stateB))) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", t0);
            BrokerFixture.send(producer, prefix + "user_profiles", "u1", "{\"user_id\":\"u1\",\"subscription_tier\":\"free\"}", t0);
            producer.flush();
            a.own(ALL); // before start: remembered for the stream thread
            a.startClustered(DimensionBootstrap.NONE);
            b.startClustered(DimensionBootstrap.NONE);
            BrokerFixture.waitFor(() -> a.ownedPartitions().equals(ALL) && b.isReady());
            List<String> ids = new ArrayList<>();
            clickOnPartitionZero(producer, prefix, "before", t0 + 1, ids);
            BrokerFixture.readUntil(broker.bootstrapServers(), prefix + "personalized_events", records -> records.size() >= 1);

            b.own(Set.of(0)); // takes task 0 without A releasing it: A is fenced at its next transaction
            BrokerFixture.waitFor(() -> b.ownedPartitions().equals(Set.of(0)));
            clickOnPartitionZero(producer, prefix, "after-b", t0 + 2, ids);
            BrokerFixture.waitFor(() -> a.metrics().fencedTaskCount() >= 1);
            assertThat(a.ownedPartitions()).containsExactly(1, 2, 3);
            clickOnPartitionZero(producer, prefix, "still-b", t0 + 3, ids);
            BrokerFixture.readUntil(broker.bootstrapServers(), prefix + "personalized_events", records -> records.size() >= 3);
            assertThat(a.ownedPartitions()).as("a fenced task stays closed while the request is unchanged").containsExactly(1, 2, 3);

            a.own(ALL); // a newer decision names it again: A takes it back and fences B
            BrokerFixture.waitFor(() -> a.ownedPartitions().equals(ALL));
            clickOnPartitionZero(producer, prefix, "back-to-a", t0 + 4, ids);
            BrokerFixture.waitFor(() -> b.metrics().fencedTaskCount() >= 1 && b.ownedPartitions().isEmpty());

            Map<String, JsonNode> written = readOutputExactlyOnce(prefix + "personalized_events", ids.size());
            assertThat(written.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(written.values()).allSatisfy(event -> {
                assertThat(event.get("user_subscription_tier").asText()).isEqualTo("free");
                assertThat(event.get("product_category").asText()).isEqualTo("books");
            });
        }
    }

    /** Like two nodes of one cluster: same cluster name and consumer group, each its own state directory and meters. */
    private RuntimeSettings settings(Path stateDir)
    {
        return new RuntimeSettings(broker.bootstrapServers(), Map.of(), "it", RuntimeSettings.DEFAULT_CLUSTER_NAME, stateDir,
                ProcessingGuarantee.EXACTLY_ONCE, RuntimeSettings.DEFAULT_COMMIT_INTERVAL, CheckpointSettings.DEFAULTS, Clock.systemUTC(), Optional.empty(),
                new SimpleMeterRegistry());
    }

    private Map<String, JsonNode> expectedOutput(CompiledPipeline pipeline, String prefix, Path driverDir, List<GeneratedRecord> tables,
            List<List<GeneratedRecord>> phases)
            throws IOException
    {
        Map<String, JsonNode> expected = new HashMap<>();
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, driverDir)) {
            tables.forEach(record -> driver.pipe(prefix + record.topic(), record.key(), record.json(), record.timestampMillis()));
            phases.forEach(clicks -> clicks.forEach(record -> driver.pipe(prefix + record.topic(), record.key(), record.json(), record.timestampMillis())));
            for (OutputRecord output : driver.readOutputs()) {
                JsonNode event = JSON.readTree(output.value());
                expected.put(event.get("event_id").asText(), event);
            }
        }
        return expected;
    }

    private static void send(KafkaProducer<String, String> producer, String prefix, List<GeneratedRecord> records)
    {
        records.forEach(record -> BrokerFixture.send(producer, prefix + record.topic(), record.key(), record.json(), record.timestampMillis()));
        producer.flush();
    }

    private static void clickOnPartitionZero(KafkaProducer<String, String> producer, String prefix, String eventId, long time, List<String> ids)
    {
        producer.send(new ProducerRecord<>(prefix + "clickstreams", 0, time, "u1", BrokerFixture.click(eventId, "u1", time)));
        producer.flush();
        ids.add(eventId);
    }

    /** Reads the output until {@code count} records, then once more a second later: fails on a duplicate. */
    private Map<String, JsonNode> readOutputExactlyOnce(String topic, int count)
            throws Exception
    {
        List<ConsumerRecord<String, String>> first = BrokerFixture.readUntil(broker.bootstrapServers(), topic, records -> records.size() >= count);
        Thread.sleep(1_000); // a duplicate, if any, would be committed by now
        Map<String, JsonNode> events = new HashMap<>();
        for (ConsumerRecord<String, String> record : BrokerFixture.readUntil(broker.bootstrapServers(), topic, records -> records.size() >= first.size())) {
            JsonNode event = JSON.readTree(record.value());
            assertThat(events.put(event.get("event_id").asText(), event)).as("duplicate output of %s", event.get("event_id")).isNull();
            assertThat(record.key()).isEqualTo(event.get("user_id").asText());
        }
        return events;
    }

    private static List<Path> checkpointsOf(Path stateDir, CompiledPipeline pipeline, int partition)
            throws IOException
    {
        try (Stream<Path> listing = Files.list(stateDir.resolve(pipeline.name()).resolve("task-" + partition).resolve("checkpoints"))) {
            return listing.toList();
        }
    }
}
