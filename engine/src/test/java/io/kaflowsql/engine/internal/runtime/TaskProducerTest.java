package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * How {@link TaskProducer} sorts a commit refused for an old epoch, and when an at-least-once commit point's offsets
 * are released. Kafka's own {@link MockProducer} stands in
 * for the broker so the age of the transaction can be set exactly; {@code TaskProducerOnBrokerTest} (node
 * module) shows the same against a real broker.
 */
class TaskProducerTest
{
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("group");
    private static final TopicPartition CLICKS = new TopicPartition("clicks", 0);
    private static final TopicPartition HISTORY = new TopicPartition("history", 0);
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
    void atLeastOnceOffsetsAreReleasedOnlyAfterEveryEarlierSendWasAcknowledged()
    {
        MockProducer<byte[], byte[]> manual = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        TaskProducer atLeastOnce = new TaskProducer("p-0", manual, false, "changelog", clock::get, TIMEOUT_MILLIS);
        atLeastOnce.send(new ProducerRecord<>("output", new byte[] {1}));
        atLeastOnce.send(new ProducerRecord<>("changelog", new byte[] {2}));
        atLeastOnce.markCommitPoint(Map.of(CLICKS, new OffsetAndMetadata(2)));
        atLeastOnce.send(new ProducerRecord<>("output", new byte[] {3}));

        assertThat(atLeastOnce.acknowledgedOffsets()).isEmpty();
        assertThat(manual.completeNext()).isTrue();
        assertThat(atLeastOnce.acknowledgedOffsets()).as("one of the point's two records is unacknowledged").isEmpty();
        assertThat(manual.completeNext()).isTrue();
        assertThat(atLeastOnce.acknowledgedOffsets()).containsExactly(Map.entry(CLICKS, new OffsetAndMetadata(2)));
        assertThat(manual.history()).hasSize(3);
    }

    @Test
    void atLeastOnceOffsetsAfterAFailedSendAreNeverReleased()
    {
        MockProducer<byte[], byte[]> manual = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        TaskProducer atLeastOnce = new TaskProducer("p-0", manual, false, "changelog", clock::get, TIMEOUT_MILLIS);
        atLeastOnce.send(new ProducerRecord<>("output", new byte[] {1}));
        atLeastOnce.markCommitPoint(Map.of(CLICKS, new OffsetAndMetadata(1)));
        assertThat(manual.errorNext(new TimeoutException("expired in the accumulator"))).isTrue();

        assertThatThrownBy(atLeastOnce::acknowledgedOffsets)
                .as("the task is rebuilt and resumes from its committed offsets, so the failed result is produced again")
                .isInstanceOf(TaskCorruptedException.class);
    }

    @Test
    void anAtLeastOnceCommitWaitsForEverySendAndThenReleasesEveryPoint()
    {
        TaskProducer atLeastOnce = new TaskProducer("p-0", kafka, false, "changelog", clock::get, TIMEOUT_MILLIS);
        atLeastOnce.send(new ProducerRecord<>("output", new byte[] {1}));
        atLeastOnce.markCommitPoint(Map.of(CLICKS, new OffsetAndMetadata(1), HISTORY, new OffsetAndMetadata(4)));
        atLeastOnce.send(new ProducerRecord<>("output", new byte[] {2}));
        atLeastOnce.markCommitPoint(Map.of(CLICKS, new OffsetAndMetadata(2)));

        atLeastOnce.commit(Map.of(), GROUP);

        assertThat(atLeastOnce.acknowledgedOffsets()).containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(2)), Map.entry(HISTORY, new OffsetAndMetadata(4)));
        assertThat(kafka.flushed()).isTrue();
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
