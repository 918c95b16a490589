package io.kaflowsql.node.internal.catalog;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog topic on the embedded broker: each test uses its own cluster name, hence its own topic. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogLogOnBrokerTest
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker(@TempDir Path dir)
    {
        broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, 1);
    }

    @AfterAll
    void stopBroker()
    {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void entriesWrittenAreReadBackByARestartedReader()
            throws Exception
    {
        CatalogEntry clicks = CatalogEntry.deployed("clicks", "name: clicks", CatalogEntry.State.RUNNING, 1, AT);
        CatalogEntry orders = CatalogEntry.deployed("orders", "name: orders", CatalogEntry.State.PAUSED, 4, AT);
        Changes first = new Changes();
        try (CatalogLog log = start("restart", first)) {
            assertThat(log.awaitCaughtUp(WAIT)).isTrue();
            assertThat(log.entries()).isEmpty();
            log.write(CatalogEntry.deployed("clicks", "name: old", CatalogEntry.State.RUNNING, 1, AT));
            log.write(clicks.withState(CatalogEntry.State.RUNNING, AT));
            assertThat(log.awaitApplied(log.write(orders), WAIT)).isTrue();
            assertThat(log.entries()).containsOnlyKeys("clicks", "orders");
            assertThat(first.seen).extracting(Change::name).containsExactly("clicks", "clicks", "orders");
        }

        Changes second = new Changes();
        try (CatalogLog log = start("restart", second)) {
            assertThat(log.awaitCaughtUp(WAIT)).isTrue();

            assertThat(log.entries()).isEqualTo(Map.of("clicks", clicks.withState(CatalogEntry.State.RUNNING, AT), "orders", orders));
            assertThat(log.topic()).isEqualTo("restart-kaflowsql-catalog");
            assertThat(second.seen).extracting(Change::entry).last().isEqualTo(Optional.of(orders));
        }
    }

    @Test
    void aTombstoneRemovesTheEntryAndTellsTheListener()
            throws Exception
    {
        Changes changes = new Changes();
        try (CatalogLog log = start("tombstone", changes)) {
            assertThat(log.awaitCaughtUp(WAIT)).isTrue();
            log.write(CatalogEntry.deployed("clicks", "name: clicks", CatalogEntry.State.RUNNING, 1, AT));

            assertThat(log.awaitApplied(log.delete("clicks"), WAIT)).isTrue();

            assertThat(log.entry("clicks")).isEmpty();
            assertThat(changes.seen).containsExactly(
                    new Change("clicks", Optional.of(CatalogEntry.deployed("clicks", "name: clicks", CatalogEntry.State.RUNNING, 1, AT))),
                    new Change("clicks", Optional.empty()));
        }
        try (CatalogLog restarted = start("tombstone", new Changes())) {
            assertThat(restarted.awaitCaughtUp(WAIT)).isTrue();
            assertThat(restarted.entries()).isEmpty();
        }
    }

    @Test
    void aRecordOfANewerFormatIsIgnoredAndThePreviousEntryKept()
            throws Exception
    {
        CatalogEntry known = CatalogEntry.deployed("clicks", "name: clicks", CatalogEntry.State.RUNNING, 1, AT);
        Changes changes = new Changes();
        try (CatalogLog log = start("newer", changes)) {
            assertThat(log.awaitCaughtUp(WAIT)).isTrue();
            log.write(known);
            produceRaw("newer", "clicks", ("{\"format_version\":2,\"name\":\"clicks\",\"yaml\":\"name: clicks\",\"state\":\"PAUSED\",\"revision\":2,"
                    + "\"updated_at\":\"2026-11-25T04:00:00Z\"}").getBytes(StandardCharsets.UTF_8));

            assertThat(log.awaitApplied(log.write(CatalogEntry.stateOnly("marker", CatalogEntry.State.RUNNING, 1, AT)), WAIT)).isTrue();

            assertThat(log.entry("clicks")).contains(known);
            assertThat(changes.seen).extracting(Change::name).containsExactly("clicks", "marker");
        }
    }

    @Test
    void corruptRecordsAreSkippedAndTheReaderGoesOn()
            throws Exception
    {
        Changes changes = new Changes();
        try (CatalogLog log = start("corrupt", changes)) {
            assertThat(log.awaitCaughtUp(WAIT)).isTrue();
            produceRaw("corrupt", "clicks", "{not json".getBytes(StandardCharsets.UTF_8));
            produceRaw("corrupt", "empty", "{}".getBytes(StandardCharsets.UTF_8));
            produceRaw("corrupt", "orders", new byte[] {(byte) 0xff, 0, 1});

            assertThat(log.awaitApplied(log.write(CatalogEntry.stateOnly("marker", CatalogEntry.State.PAUSED, 1, AT)), WAIT)).isTrue();

            assertThat(log.entries()).containsOnlyKeys("marker");
            assertThat(changes.seen).extracting(Change::name).containsExactly("marker");
        }
        try (CatalogLog restarted = start("corrupt", new Changes())) {
            assertThat(restarted.awaitCaughtUp(WAIT)).as("a reader starting on corrupt records catches up").isTrue();
            assertThat(restarted.entries()).containsOnlyKeys("marker");
        }
    }

    private CatalogLog start(String clusterName, Changes changes)
    {
        return CatalogLog.start(broker.bootstrapServers(), Map.of(), clusterName, changes);
    }

    private void produceRaw(String clusterName, String key, byte[] value)
            throws Exception
    {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(CatalogLog.topic(clusterName), 0, key, value)).get();
        }
    }

    private record Change(String name, Optional<CatalogEntry> entry) {}

    private static final class Changes
            implements CatalogLog.Listener
    {
        private final List<Change> seen = new CopyOnWriteArrayList<>();

        @Override
        public void changed(String name, Optional<CatalogEntry> entry)
        {
            seen.add(new Change(name, entry));
        }
    }
}
