package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How {@link TaskProducer} sorts a commit refused for an old epoch. Kafka's own {@link MockProducer} stands in
 * for the broker so the age of the transaction can be set exactly; {@code TaskProducerOnBrokerTest} (node
 * module) shows the same against a real broker.
 */
class TaskProducerTest
{
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("group");
    private static final long TIMEOUT_MILLIS = TaskProducer.DEFAULT_TRANSACTION_TIMEOUT_MILLIS;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final MockProducer<byte[], byte[]> kafka = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final TaskProducer producer = new TaskProducer("p-0", kafka, true, "changelog", clock::get, TIMEOUT_MILLIS);

    @Test
    void aFencedProducerWithAYoungTransactionMeansAnotherOwner()
    {
        openTransactionThatFailsToCommit(new ProducerFencedException("newer producer"));
        clock.addAndGet(TIMEOUT_MILLIS - 1);

        assertThatThrownBy(() -> producer.commit(Map.of(), GROUP)).isInstanceOf(TaskFencedException.class);
    }

    @Test
    void aFencedProducerWithATransactionPastItsTimeoutMeansTheBrokerAbortedIt()
    {
        // Kafka 4 reports the broker's epoch bump after a timed-out transaction as a fenced producer
        openTransactionThatFailsToCommit(new ProducerFencedException("newer producer"));
        clock.addAndGet(TIMEOUT_MILLIS);

        assertThatThrownBy(() -> producer.commit(Map.of(), GROUP)).isInstanceOf(TaskCorruptedException.class);
        assertThat(kafka.transactionAborted()).as("the open transaction is aborted before the task is rebuilt").isTrue();
    }

    @Test
    void anOldEpochIsSortedByTheAgeOfTheTransactionToo()
    {
        openTransactionThatFailsToCommit(new InvalidProducerEpochException("old epoch"));

        assertThatThrownBy(() -> producer.commit(Map.of(), GROUP)).isInstanceOf(TaskFencedException.class);
        clock.addAndGet(TIMEOUT_MILLIS);
        assertThatThrownBy(() -> producer.commit(Map.of(), GROUP)).isInstanceOf(TaskCorruptedException.class);
    }

    @Test
    void aWarmUpAheadOfAHandOverTouchesNoTransactionAndToleratesAMetadataFailure()
    {
        producer.warmUp(List.of("output", "changelog"));
        assertThat(kafka.transactionInitialized()).as("the previous owner is fenced only when the task opens").isFalse();

        kafka.partitionsForException = new TimeoutException("no metadata");
        producer.warmUp(List.of("output"));
        producer.initialize();
        assertThat(kafka.transactionInitialized()).isTrue();
    }

    private void openTransactionThatFailsToCommit(RuntimeException failure)
    {
        kafka.initTransactions();
        producer.send(new ProducerRecord<>("output", new byte[] {1}));
        kafka.commitTransactionException = failure;
    }
}
