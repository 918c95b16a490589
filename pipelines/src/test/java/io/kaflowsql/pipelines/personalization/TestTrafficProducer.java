package io.kaflowsql.pipelines.personalization;

import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestTrafficProducer
{
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private final MockProducer<String, byte[]> kafka = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final FakeTrafficClock clock = new FakeTrafficClock(T0);
    private final GeneratorSettings settings = GeneratorSettings.defaults().withStartEpochMillis(T0);

    @Test
    void loadsEveryDimensionRecordAndReportsProgress()
    {
        List<String> progress = new ArrayList<>();
        DimensionCounts counts;
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(settings), TrafficMix.DEFAULT, clock)) {
            counts = producer.loadDimensions(400, (topic, sent, total) -> progress.add(topic + " " + sent + "/" + total));
            assertThat(producer.counts().dimensionRecords()).isEqualTo(counts.total());
            assertThat(producer.recordsAcknowledged()).isEqualTo(counts.total());
        }

        long histories = new PersonalizationDataset(settings).purchaseHistoryCount();
        assertThat(counts).isEqualTo(new DimensionCounts(1_000, 500, histories));
        assertThat(kafka.flushed()).isTrue();
        assertThat(countByTopic(PersonalizationTopics.USER_PROFILES)).isEqualTo(1_000);
        assertThat(countByTopic(PersonalizationTopics.PRODUCTS)).isEqualTo(500);
        assertThat(countByTopic(PersonalizationTopics.PURCHASE_HISTORY)).isEqualTo(histories);
        assertThat(progress).startsWith("user_profiles 400/1000", "user_profiles 800/1000", "user_profiles 1000/1000", "products 400/500", "products 500/500");
        assertThat(progress).last().isEqualTo("purchase_history " + histories + "/" + histories);
        assertThat(kafka.history()).allSatisfy(record -> {
            assertThat(record.timestamp()).isEqualTo(T0);
            assertThat(record.partition()).isNull();
        });
    }

    @Test
    void sendsRateTimesDurationClicksStampedWithTheClock()
            throws InterruptedException
    {
        TrafficCounts counts;
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(settings), TrafficMix.CLICKS_ONLY, clock)) {
            counts = producer.runClicks(500, Duration.ofSeconds(4), () -> false);
        }

        assertThat(counts.clicks()).isEqualTo(2_000);
        assertThat(counts.sent()).isEqualTo(2_000);
        assertThat(counts.acknowledged()).isEqualTo(2_000);
        List<ProducerRecord<String, byte[]>> clicks = kafka.history();
        assertThat(clicks).allSatisfy(record -> {
            assertThat(record.topic()).isEqualTo(PersonalizationTopics.CLICKSTREAMS);
            assertThat(record.timestamp()).isBetween(T0, T0 + 4_000);
            assertThat(text(record)).contains("\"timestamp\":\"" + Instant.ofEpochMilli(record.timestamp()) + "\"");
            assertThat(text(record)).contains("\"user_id\":\"" + record.key() + "\"");
        });
        // Paced, not bursted: the 2,000 clicks spread over the 4 s, about 500 in each second.
        assertThat(clicks.stream().filter(record -> record.timestamp() < T0 + 1_000).count()).isBetween(499L, 501L);
        assertThat(clicks.get(clicks.size() - 1).timestamp()).isGreaterThanOrEqualTo(T0 + 3_990);
    }

    @Test
    void pacesBySleepingNotSpinning()
            throws InterruptedException
    {
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(settings), TrafficMix.CLICKS_ONLY, clock)) {
            producer.runClicks(100_000, Duration.ofMillis(50), () -> false);
        }

        assertThat(kafka.history()).hasSize(5_000);
        assertThat(clock.sleeps()).hasSizeBetween(49, 51).allSatisfy(sleep -> assertThat(sleep).isGreaterThanOrEqualTo(1_000_000L));
    }

    @Test
    void interleavesChangesPerMix()
            throws InterruptedException
    {
        TrafficCounts counts;
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(settings), new TrafficMix(200, 100, 1_000, 500), clock)) {
            counts = producer.runClicks(1_000, Duration.ofSeconds(2), () -> false);
        }

        assertThat(counts).isEqualTo(new TrafficCounts(2_000, 10, 20, 2, 0, 2_032, 0));
        assertThat(countByTopic(PersonalizationTopics.CLICKSTREAMS)).isEqualTo(2_000);
        assertThat(countByTopic(PersonalizationTopics.USER_PROFILES)).isEqualTo(10);
        assertThat(countByTopic(PersonalizationTopics.PURCHASE_HISTORY)).isEqualTo(20);
        assertThat(countByTopic(PersonalizationTopics.PRODUCTS)).isEqualTo(2);
        // A change follows the click that triggered it and shares its event time.
        List<ProducerRecord<String, byte[]>> history = kafka.history();
        for (int i = 1; i < history.size(); i++) {
            if (!history.get(i).topic().equals(PersonalizationTopics.CLICKSTREAMS)) {
                assertThat(history.get(i).timestamp()).isEqualTo(history.get(i - 1).timestamp());
            }
        }
    }

    @Test
    void stopsWhenAskedEvenWithoutADuration()
            throws InterruptedException
    {
        TrafficCounts counts;
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(settings), TrafficMix.CLICKS_ONLY, clock)) {
            counts = producer.runClicksUntilStopped(1_000, () -> clock.nanoTime() >= Duration.ofSeconds(3).toNanos());
        }

        assertThat(counts.clicks()).isBetween(2_999L, 3_000L);
        assertThat(kafka.flushed()).isTrue();
    }

    @Test
    void countsFailedSendsAndKeepsTheFirstFailure()
            throws InterruptedException
    {
        // Completes sends only when told to (the stock MockProducer completes them all on flush).
        MockProducer<String, byte[]> failing = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer())
        {
            @Override
            public synchronized void flush() {}
        };
        try (TrafficProducer producer = new TrafficProducer(failing, new PersonalizationDataset(settings), TrafficMix.CLICKS_ONLY, clock)) {
            producer.runClicks(10, Duration.ofSeconds(1), () -> false);
            failing.errorNext(new IllegalStateException("broker said no 0"));
            failing.errorNext(new IllegalStateException("broker said no 1"));
            while (failing.completeNext()) {
                // complete the rest
            }

            assertThat(producer.recordsFailed()).isEqualTo(2);
            assertThat(producer.recordsAcknowledged()).isEqualTo(8);
            assertThat(producer.firstFailure()).get().extracting(Throwable::getMessage).isEqualTo("broker said no 0");
        }
    }

    @Test
    void writesAvroWireFormatForAvroTopicsAndJsonForTheRest()
            throws Exception
    {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(101);
        AvroValueEncoding encoding = AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.PRODUCTS));
        GeneratorSettings small = settings.withUsers(100).withProducts(40);
        try (TrafficProducer producer = new TrafficProducer(kafka, new PersonalizationDataset(small), new TrafficMix(20, 10, 5, 20), clock, encoding)) {
            producer.loadDimensions(1_000, (topic, sent, total) -> {});
            producer.runClicks(100, Duration.ofSeconds(2), () -> false);
        }

        // The same dataset and calls, replayed, give the records that were sent, in order.
        PersonalizationDataset replay = new PersonalizationDataset(small);
        List<GeneratedRecord> expected = new ArrayList<>();
        expected.addAll(replay.userProfiles());
        expected.addAll(replay.products());
        expected.addAll(replay.purchaseHistory());
        List<ProducerRecord<String, byte[]>> sent = kafka.history();
        assertThat(sent.stream().map(ProducerRecord::topic).distinct()).containsExactlyInAnyOrderElementsOf(PersonalizationTopics.INPUTS);
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<String, byte[]> record = sent.get(i);
            if (record.topic().equals(PersonalizationTopics.CLICKSTREAMS) || record.topic().equals(PersonalizationTopics.PRODUCTS)) {
                assertThat(record.value()[0]).isZero();
                int id = TestAvroValueEncoding.schemaIdOf(record.value());
                assertThat(id).isEqualTo(encoding.schemaIds().get(record.topic()));
                GenericRecord decoded = TestAvroValueEncoding.decode(record.value(), registry.schemaById(id));
                String keyField = record.topic().equals(PersonalizationTopics.PRODUCTS) ? "product_id" : "user_id";
                assertThat(decoded.get(keyField).toString()).isEqualTo(record.key());
                if (record.topic().equals(PersonalizationTopics.CLICKSTREAMS)) {
                    assertThat(decoded.get("timestamp")).isEqualTo(record.timestamp());
                }
            }
            else {
                assertThat(text(record)).startsWith("{").contains("\"user_id\":\"" + record.key() + "\"");
            }
            if (i < expected.size()) {
                assertThat(record.value()).isEqualTo(encoding.encode(expected.get(i)));
            }
        }
    }

    @Test
    void producerConfigAsksForDurableLowLatencySends()
    {
        Map<String, Object> config = TrafficProducer.producerConfig("localhost:9092");

        assertThat(config)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    }

    private static String text(ProducerRecord<String, byte[]> record)
    {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    private long countByTopic(String topic)
    {
        return kafka.history().stream().filter(record -> record.topic().equals(topic)).count();
    }
}
