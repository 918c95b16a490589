package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link TaskProducer} sorts the two ways a real broker takes a transactional id's epoch away: another
 * owner's {@code initTransactions} (fenced: the task stops here) and the broker aborting a transaction that
 * stayed open past its timeout (the task is rebuilt and resumes here). Kafka 4 reports both as a fenced
 * producer; only the age of the transaction tells them apart. Lives in the engine's package (the class is
 * package-private) but in the node module, which has the embedded broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskProducerOnBrokerTest
{
    private static final String OUTPUT = "tp_output";
    private static final String CHANGELOG = "tp_changelog";
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("tp-group");
    /** Shorter than the engine's default so the broker's abort comes within the test's time. */
    private static final long TIMEOUT_MILLIS = 10_000;

    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void startBroker(@TempDir Path brokerDir)
    {
        broker = EmbeddedKafkaBroker.start(brokerDir, 0, 1);
        broker.createTopics(Map.of(OUTPUT, 1, CHANGELOG, 1), Map.of());
    }

    @AfterAll
    void stopBroker()
    {
        broker.close();
    }

    @Test
    void aTransactionTheBrokerAbortedOnTimeoutIsRetriedNotTakenForAnotherOwner()
            throws InterruptedException
    {
        try (TaskProducer stalled = taskProducer("tp-timeout")) {
            stalled.initialize();
            stalled.send(record("written before the stall"));
            // the thread stalls past the transaction timeout; the broker aborts the transaction and bumps the epoch
            Thread.sleep(TIMEOUT_MILLIS + 5_000);
            // it resumes processing: adding a partition to the transaction meets the bumped epoch (the producer's
            // I/O thread takes it as fatal), and the commit then fails
            stalled.send(new ProducerRecord<>(CHANGELOG, "written after the stall".getBytes(StandardCharsets.UTF_8)));

            assertThatThrownBy(() -> stalled.commit(Map.of(), GROUP))
                    .as("the broker's own abort must not stop the task on this node")
                    .isInstanceOf(TaskCorruptedException.class);
        }
        // what the caller does next: a new producer for the same id continues
        try (TaskProducer reopened = taskProducer("tp-timeout")) {
            reopened.initialize();
            reopened.send(record("after the rebuild"));
            reopened.commit(Map.of(), GROUP);
        }
    }

    @Test
    void anotherOwnerInitialisingTheIdFencesTheTask()
    {
        try (TaskProducer first = taskProducer("tp-fenced"); TaskProducer second = taskProducer("tp-fenced")) {
            first.initialize();
            first.send(record("from the first owner"));
            second.initialize();

            assertThatThrownBy(() -> first.commit(Map.of(), GROUP)).isInstanceOf(TaskFencedException.class);
            second.send(record("from the second owner"));
            second.commit(Map.of(), GROUP);
        }
    }

    private TaskProducer taskProducer(String transactionalId)
    {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TIMEOUT_MILLIS)),
                new ByteArraySerializer(), new ByteArraySerializer());
        return new TaskProducer(transactionalId, producer, true, CHANGELOG, System::currentTimeMillis, TIMEOUT_MILLIS);
    }

    private static ProducerRecord<byte[], byte[]> record(String value)
    {
        return new ProducerRecord<>(OUTPUT, value.getBytes(StandardCharsets.UTF_8));
    }
}
