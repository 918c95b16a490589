package io.kaflowsql.pipelines.personalization;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TestOutputLatencyProbe
{
    private static final String TOPIC = PersonalizationTopics.PERSONALIZED_EVENTS;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    @Test
    void recordsReceiveTimeMinusRecordTimestampInMicros()
            throws InterruptedException
    {
        CountDownLatch delivered = deliverOnFirstPoll(100);
        try (OutputLatencyProbe probe = new OutputLatencyProbe(consumer, TOPIC, CLOCK, 3, OutputLatencyProbe::utf8)) {
            probe.start();
            assertThat(probe.awaitAssignment(Duration.ofSeconds(30))).isTrue();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
            awaitCount(probe, 100);

            // Record i was stamped (i + 1) ms before NOW.
            LatencySnapshot snapshot = probe.snapshot();
            assertThat(snapshot.count()).isEqualTo(100);
            assertThat(snapshot.p50Micros()).isBetween(49_900L, 50_100L);
            assertThat(snapshot.p99Micros()).isBetween(98_900L, 99_100L);
            assertThat(snapshot.maxMicros()).isBetween(99_900L, 100_100L);
            assertThat(probe.failure()).isEmpty();
        }
    }

    @Test
    void keepsTheLastRecordsAsSamples()
            throws InterruptedException
    {
        CountDownLatch delivered = deliverOnFirstPoll(10);
        try (OutputLatencyProbe probe = new OutputLatencyProbe(consumer, TOPIC, CLOCK, 3, OutputLatencyProbe::utf8)) {
            probe.start();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
            awaitCount(probe, 10);

            List<SampleRecord> samples = probe.recentRecords();
            assertThat(samples).extracting(SampleRecord::offset).containsExactly(7L, 8L, 9L);
            assertThat(samples.get(2).value()).isEqualTo("{\"event_id\":\"evt_9\"}");
            assertThat(samples.get(2).key()).isEqualTo("user_9");
            assertThat(samples.get(2).latencyMicros()).isEqualTo(1_000);
        }
    }

    @Test
    void intervalSnapshotCoversOnlyRecordsSinceThePreviousCall()
            throws InterruptedException
    {
        CountDownLatch delivered = deliverOnFirstPoll(20);
        try (OutputLatencyProbe probe = new OutputLatencyProbe(consumer, TOPIC, CLOCK, 0, OutputLatencyProbe::utf8)) {
            probe.start();
            assertThat(delivered.await(30, TimeUnit.SECONDS)).isTrue();
            awaitCount(probe, 20);

            assertThat(probe.intervalSnapshot().count()).isEqualTo(20);
            assertThat(probe.intervalSnapshot()).isEqualTo(LatencySnapshot.EMPTY);
            assertThat(probe.snapshot().count()).isEqualTo(20);
            assertThat(probe.recentRecords()).isEmpty();
            probe.reset();
            assertThat(probe.snapshot()).isEqualTo(LatencySnapshot.EMPTY);
        }
    }

    @Test
    void closeStopsThePollThreadAndClosesTheConsumer()
    {
        OutputLatencyProbe probe = new OutputLatencyProbe(consumer, TOPIC, CLOCK, 3, OutputLatencyProbe::utf8);
        probe.start();
        probe.close();

        assertThat(consumer.closed()).isTrue();
        assertThat(probe.failure()).isEmpty();
    }

    @Test
    void consumerConfigReadsCommittedFromTheChosenPosition()
    {
        Map<String, Object> config = OutputLatencyProbe.consumerConfig("localhost:9092", "probe-1", OutputLatencyProbe.StartPosition.LATEST);

        assertThat(config)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "probe-1")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /** On the probe thread's first poll: assign partition 0 and add {@code count} records, record i stamped (count - i) ms ago. */
    private CountDownLatch deliverOnFirstPoll(int count)
    {
        CountDownLatch delivered = new CountDownLatch(1);
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(PARTITION));
            for (int i = 0; i < count; i++) {
                long timestamp = NOW.toEpochMilli() - (count - i);
                byte[] value = ("{\"event_id\":\"evt_" + i + "\"}").getBytes(StandardCharsets.UTF_8);
                consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, timestamp, TimestampType.CREATE_TIME, -1, value.length,
                        "user_" + i, value, new RecordHeaders(), Optional.empty()));
            }
            delivered.countDown();
        });
        return delivered;
    }

    /** Waits (without asserting on time) until the probe thread has recorded {@code count} records. */
    private static void awaitCount(OutputLatencyProbe probe, long count)
            throws InterruptedException
    {
        for (int i = 0; i < 3_000 && probe.count() < count; i++) {
            Thread.sleep(10);
        }
    }
}
