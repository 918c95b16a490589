package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once against a real broker: a running node commits its input offsets while it processes (without waiting
 * for the broker at each commit; the checkpoint interval here is an hour, so no waiting commit happens before the
 * node stops), and a node that takes over after a clean stop resumes exactly where the first one ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtLeastOnceOnBrokerTest
{
    private static final int PARTITIONS = 3;
    private static final int CLICKS = 30;
    private static final long T0 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

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
    void offsetsAreCommittedWhileProcessingAndTheNextOwnerResumesFromThem(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception
    {
        String prefix = "a_";
        BrokerFixture.createSeedTopics(broker, prefix, PARTITIONS);
        CompiledPipeline pipeline = BrokerFixture.seedPipeline(prefix);
        String output = prefix + "personalized_events";
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<String, String> producer = BrokerFixture.producer(broker.bootstrapServers());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            BrokerFixture.send(producer, prefix + "products", "p1", "{\"product_id\":\"p1\",\"category\":\"books\",\"price\":10.0}", T0);
            for (int user = 0; user < PARTITIONS * 2; user++) {
                BrokerFixture.send(producer, prefix + "user_profiles", "u" + user, "{\"user_id\":\"u" + user + "\",\"subscription_tier\":\"free\"}", T0);
            }
            producer.flush();
            try (KaflowNode first = KaflowNode.start(atLeastOnce(stateA), List.of(pipeline), Clock.systemUTC())) {
                assertThat(first.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                sendClicks(producer, prefix, "first-", expected);
                BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= CLICKS);

                String group = "it-" + prefix + "personalization";
                BrokerFixture.waitFor(() -> committedClicks(admin, group, prefix + "clickstreams") == CLICKS);
                assertThat(first.runtimes().get(0).metrics().commitCount()).isPositive();
            }
            try (KaflowNode second = KaflowNode.start(atLeastOnce(stateB), List.of(pipeline), Clock.systemUTC())) {
                assertThat(second.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                sendClicks(producer, prefix, "second-", expected);
                List<ConsumerRecord<String, String>> written = BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= 2 * CLICKS);
                Thread.sleep(1_000); // a click read again would be written by now
                List<ConsumerRecord<String, String>> all = BrokerFixture.readUntil(broker.bootstrapServers(), output, records -> records.size() >= written.size());
                assertThat(BrokerFixture.eventIds(all)).as("the second node read nothing the first one had committed").containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    private static void sendClicks(KafkaProducer<String, String> producer, String prefix, String idPrefix, List<String> expected)
    {
        for (int i = 0; i < CLICKS; i++) {
            String user = "u" + (i % (PARTITIONS * 2));
            String id = idPrefix + i;
            BrokerFixture.send(producer, prefix + "clickstreams", user, BrokerFixture.click(id, user, T0 + 1 + i), T0 + 1 + i);
            expected.add(id);
        }
        producer.flush();
    }

    private static long committedClicks(Admin admin, String group, String topic)
    {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                    .mapToLong(entry -> entry.getValue().offset()).sum();
        }
        catch (Exception e) {
            return -1;
        }
    }

    private NodeConfig atLeastOnce(Path state)
    {
        NodeConfig base = BrokerFixture.config(broker.bootstrapServers(), state);
        return new NodeConfig(base.cluster(), base.kafka(), base.schemaRegistry(), base.state(),
                new NodeConfig.ProcessingSettings(ProcessingGuarantee.AT_LEAST_ONCE, Duration.ofMillis(100)),
                new CheckpointSettings(Duration.ofHours(1), base.checkpoint().keep()), base.http(), base.pipelines(), base.logging(), base.admin());
    }
}
