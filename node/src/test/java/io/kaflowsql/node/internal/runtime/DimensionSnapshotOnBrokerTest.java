package io.kaflowsql.node.internal.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.DimensionBootstrap;
import io.kaflowsql.engine.api.runtime.DimensionBootstrapStats;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that bootstraps its dimensions from a peer's snapshot reads only the topic tail after the
 * snapshot's offsets and enriches exactly like the peer that read the whole topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DimensionSnapshotOnBrokerTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 3;
    private static final int USERS = 300;
    private static final long T0 = 1_700_000_000_000L;

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

    private RuntimeSettings settings(Path stateDir)
    {
        return new RuntimeSettings(broker.bootstrapServers(), Map.of(), "it", "dimsnap", stateDir, ProcessingGuarantee.EXACTLY_ONCE,
                Duration.ofMillis(100), CheckpointSettings.DEFAULTS, Clock.systemUTC(), Optional.empty(), new SimpleMeterRegistry());
    }

    private static String profile(String user, String tier, long orders)
    {
        return "{\"user_id\":\"" + user + "\",\"subscription_tier\":\"" + tier + "\",\"age_group\":\"25-34\",\"location\":\"Zürich\","
                + "\"preferences\":[\"books\",\"tech\"],\"total_orders\":" + orders + ",\"lifetime_value\":" + (orders * 10.5) + "}";
    }

    @Test
    void nodeBootstrappedFromAPeerSnapshotReadsOnlyTheTailAndEnrichesLikeThePeer(@TempDir Path stateA, @TempDir Path stateB, @TempDir Path shared)
            throws Exception
    {
        String prefix = "ds_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        String output = prefix + "personalized_events";
        Path snapshot = shared.resolve("a.kfds");
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", T0);
            for (int i = 0; i < USERS; i++) {
                BrokerFixture.send(producer, prefix + "user_profiles", "user_" + i, profile("user_" + i, "free", i), T0);
            }
            BrokerFixture.send(producer, prefix + "user_profiles", "user_7", profile("user_7", "premium", 70), T0); // latest wins
            producer.flush();
            long topicRecords = USERS + 2;

            Map<String, JsonNode> fromA;
            try (PipelineRuntime a = new PipelineRuntime(pipeline, settings(stateA))) {
                a.start();
                BrokerFixture.waitFor(a::isReady);
                assertThat(a.dimensionBootstrap()).isEqualTo(new DimensionBootstrapStats(DimensionBootstrapStats.Source.TOPIC, 0, topicRecords));
                for (int i = 0; i < 10; i++) {
                    BrokerFixture.send(producer, prefix + "clickstreams", "user_" + i, BrokerFixture.click("a-" + i, "user_" + i, T0 + i), T0 + i);
                }
                producer.flush();
                fromA = byEvent(BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 10));

                assertThat(a.writeDimensionSnapshot(snapshot)).isEqualTo(USERS + 1);
            }
            assertThat(fromA).hasSize(10);
            assertThat(fromA.get("a-7").get("user_subscription_tier").asText()).isEqualTo("premium");

            // the tail, after the snapshot: an update, a tombstone, a new user
            BrokerFixture.send(producer, prefix + "user_profiles", "user_3", profile("user_3", "gold", 33), T0 + 100);
            BrokerFixture.send(producer, prefix + "user_profiles", "user_4", null, T0 + 100);
            BrokerFixture.send(producer, prefix + "user_profiles", "user_new", profile("user_new", "basic", 1), T0 + 100);
            producer.flush();

            DimensionBootstrap fromPeer = (name, directory) -> {
                assertThat(name).isEqualTo(pipeline.name());
                try {
                    return Optional.of(Files.copy(snapshot, directory.resolve("fetched.kfds")));
                }
                catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            try (PipelineRuntime b = new PipelineRuntime(pipeline, settings(stateB)).withDimensionBootstrap(fromPeer)) {
                b.start();
                BrokerFixture.waitFor(b::isReady);
                assertThat(b.dimensionBootstrap()).isEqualTo(new DimensionBootstrapStats(DimensionBootstrapStats.Source.SNAPSHOT, USERS + 1, 3));
                assertThat(stateB.resolve(pipeline.name()).resolve("dimension-snapshots").resolve("fetched.kfds")).doesNotExist();

                for (int i = 0; i < 10; i++) {
                    BrokerFixture.send(producer, prefix + "clickstreams", "user_" + i, BrokerFixture.click("b-" + i, "user_" + i, T0 + 200 + i), T0 + 200 + i);
                }
                BrokerFixture.send(producer, prefix + "clickstreams", "user_new", BrokerFixture.click("b-new", "user_new", T0 + 300), T0 + 300);
                producer.flush();
                Map<String, JsonNode> all = byEvent(BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 20));
                BrokerFixture.waitFor(() -> b.metrics().heldCount() == 1); // user_4's profile was deleted in the tail: its click waits

                assertThat(all).containsKeys("b-new").doesNotContainKey("b-4");
                for (int i = 0; i < 10; i++) {
                    if (i == 3 || i == 4) {
                        continue;
                    }
                    assertThat(userFields(all.get("b-" + i))).as("user_" + i).isEqualTo(userFields(fromA.get("a-" + i)));
                }
                assertThat(all.get("b-3").get("user_subscription_tier").asText()).isEqualTo("gold");
                assertThat(all.get("b-new").get("user_subscription_tier").asText()).isEqualTo("basic");
                assertThat(all.get("b-7").get("user_subscription_tier").asText()).isEqualTo("premium");
            }
        }
    }

    @Test
    void nodeReadsTheWholeTopicWhenThePeerSnapshotIsUnusable(@TempDir Path stateA, @TempDir Path stateB, @TempDir Path shared)
            throws Exception
    {
        String prefix = "dx_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        Path snapshot = shared.resolve("a.kfds");
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 50; i++) {
                BrokerFixture.send(producer, prefix + "user_profiles", "user_" + i, profile("user_" + i, "free", i), T0);
            }
            producer.flush();
            try (PipelineRuntime a = new PipelineRuntime(pipeline, settings(stateA))) {
                a.start();
                BrokerFixture.waitFor(a::isReady);
                a.writeDimensionSnapshot(snapshot);
            }
            byte[] corrupt = Files.readAllBytes(snapshot);
            corrupt[corrupt.length - 20] ^= 0x10;
            Files.write(snapshot, corrupt);

            DimensionBootstrap corruptPeer = (name, directory) -> Optional.of(snapshot);
            try (PipelineRuntime b = new PipelineRuntime(pipeline, settings(stateB)).withDimensionBootstrap(corruptPeer)) {
                b.start();
                BrokerFixture.waitFor(b::isReady);
                assertThat(b.dimensionBootstrap()).isEqualTo(new DimensionBootstrapStats(DimensionBootstrapStats.Source.TOPIC, 0, 50));
            }
            DimensionBootstrap failingPeer = (name, directory) -> {
                throw new IllegalStateException("peer unreachable");
            };
            try (PipelineRuntime c = new PipelineRuntime(pipeline, settings(stateB)).withDimensionBootstrap(failingPeer)) {
                c.start();
                BrokerFixture.waitFor(c::isReady);
                assertThat(c.dimensionBootstrap()).isEqualTo(new DimensionBootstrapStats(DimensionBootstrapStats.Source.TOPIC, 0, 50));
            }
            assertThat(snapshot).exists(); // not in the bootstrap directory: the runtime leaves it alone
        }
    }

    private static Map<String, JsonNode> byEvent(List<ConsumerRecord<String, String>> records)
            throws Exception
    {
        Map<String, JsonNode> events = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode event = JSON.readTree(record.value());
            events.put(event.get("event_id").asText(), event);
        }
        return events;
    }

    private static Map<String, String> userFields(JsonNode event)
    {
        Map<String, String> fields = new HashMap<>();
        event.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("user_") && !name.equals("user_id")) {
                fields.put(name, event.get(name).toString());
            }
        });
        return fields;
    }
}
