package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.internal.fault.FaultInjection;
import io.kaflowsql.engine.internal.state.ChangelogRecords;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownProducerIdException;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The producer of one task and its commit protocol.
 *
 * <p>Exactly-once: a transaction is begun at the task's first send after a commit; {@link #commit} adds
 * the consumed input offsets to it and commits, so results, changelog records, dead letters and offsets
 * become visible together or not at all. At-least-once: each commit is a {@linkplain #markCommitPoint point} whose
 * offsets the caller commits through the consumer once {@link #acknowledgedOffsets} releases them, after every send
 * before the point was acknowledged (see {@link CommitPoints}); {@link #commit} waits for that instead.
 *
 * <p>Failures are sorted the way Kafka Streams sorts them: a fenced producer (another owner took the
 * task) is a {@link TaskFencedException}; a commit that times out is retried; any other failure of a
 * send or commit aborts the transaction and is a {@link TaskCorruptedException}, after which the caller
 * rebuilds the task's state from its checkpoint and changelog and resumes from the committed offsets.
 *
 * <p>Used by the stream thread; send callbacks run on the producer's I/O thread.
 */
final class TaskProducer
        implements AutoCloseable
{
    /**
     * Default {@code transaction.timeout.ms} of task producers: Kafka's producer default. A new owner's
     * {@code initTransactions} aborts a crashed owner's open transaction at once, so the timeout only bounds a stalled
     * owner nobody replaces; a short one (Kafka Streams uses 10 s) aborted transactions of live owners on an overloaded
     * machine, each costing a rebuild of the task.
     */
    static final long DEFAULT_TRANSACTION_TIMEOUT_MILLIS = 60_000;
    private static final int COMMIT_ATTEMPTS = 5;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final String task;
    private final Producer<byte[], byte[]> producer;
    private final boolean transactional;
    private final String changelogTopic;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    /** Offset after the last changelog record the broker acknowledged; -1 before the first. */
    private final AtomicLong changelogEnd = new AtomicLong(-1);
    private final LongSupplier clock;
    private final long transactionTimeoutMillis;
    private final IntSupplier changelogVersion;
    private final CommitPoints commitPoints = new CommitPoints();
    private boolean inTransaction;
    private boolean sentSinceCommit;
    private long transactionStart;

    /**
     * @param transactionTimeoutMillis the producer's {@code transaction.timeout.ms}: a transaction open this long may have
     * been aborted by the broker rather than fenced by another owner
     */
    TaskProducer(String task, Producer<byte[], byte[]> producer, boolean transactional, String changelogTopic, LongSupplier clock,
            long transactionTimeoutMillis)
    {
        this(task, producer, transactional, changelogTopic, clock, transactionTimeoutMillis, () -> 1);
    }

    /**
     * @param changelogVersion the changelog format version to stamp on each changelog record when it is sent (negotiated
     * with the cluster, so it may change between records)
     */
    TaskProducer(String task, Producer<byte[], byte[]> producer, boolean transactional, String changelogTopic, LongSupplier clock,
            long transactionTimeoutMillis, IntSupplier changelogVersion)
    {
        this.changelogVersion = requireNonNull(changelogVersion, "changelogVersion is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.transactionTimeoutMillis = transactionTimeoutMillis;
        this.task = requireNonNull(task, "task is null");
        this.producer = requireNonNull(producer, "producer is null");
        this.transactional = transactional;
        this.changelogTopic = requireNonNull(changelogTopic, "changelogTopic is null");
    }

    /**
     * Exactly-once: registers the transactional id, which aborts a previous owner's open transaction and
     * fences it. Must precede restoring state, so the changelog holds only committed data when read.
     */
    void initialize()
    {
        if (!transactional) {
            return;
        }
        try {
            producer.initTransactions();
        }
        catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
            throw new TaskFencedException(task, e);
        }
    }

    /**
     * Fetches the metadata of {@code topics} (and so connects to their leaders) before this producer is needed: a task
     * restored ahead of a hand-over then fences and sends at once, instead of spending its first round trips of the
     * hand-over's gap on metadata. Best effort: a failure only means the first send fetches it. No transaction needed.
     */
    void warmUp(Collection<String> topics)
    {
        for (String topic : topics) {
            try {
                producer.partitionsFor(topic);
            }
            catch (KafkaException e) {
                return;
            }
        }
    }

    void send(ProducerRecord<byte[], byte[]> record)
    {
        beginIfNeeded();
        boolean changelog = record.topic().equals(changelogTopic);
        if (changelog) {
            record.headers().remove(ChangelogRecords.VERSION_HEADER).add(ChangelogRecords.VERSION_HEADER,
                    ChangelogRecords.versionHeader(changelogVersion.getAsInt()));
        }
        CommitPoints.Point point = transactional ? null : commitPoints.track();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    sendFailure.compareAndSet(null, error);
                }
                else if (changelog) {
                    changelogEnd.accumulateAndGet(metadata.offset() + 1, Math::max);
                }
                if (point != null) {
                    point.acknowledge(); // after the failure is recorded: a released point must never hide one
                }
            });
        }
        catch (KafkaException e) {
            throw failure(e);
        }
        sentSinceCommit = true;
    }

    /** At-least-once: {@code offsets} may be committed once every record sent so far is acknowledged; see {@link #acknowledgedOffsets}. */
    void markCommitPoint(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        commitPoints.mark(offsets);
    }

    /**
     * At-least-once: the offsets of the commit points whose records were all acknowledged, merged; empty when none is
     * released yet. Throws when a send failed: nothing after the failed record may be committed.
     */
    Map<TopicPartition, OffsetAndMetadata> acknowledgedOffsets()
    {
        Map<TopicPartition, OffsetAndMetadata> released = commitPoints.release();
        try {
            checkSends(); // after the release: a failure is recorded before its point is acknowledged
        }
        catch (KafkaException e) {
            throw failure(e);
        }
        return released;
    }

    /**
     * Makes everything sent since the last commit durable. Exactly-once: together with {@code offsets}
     * in one transaction (a no-op when nothing was sent and no offsets moved). At-least-once: waits until every
     * send is acknowledged, so that {@link #acknowledgedOffsets} then releases every commit point.
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group)
    {
        if (!transactional) {
            try {
                producer.flush();
                checkSends();
            }
            catch (KafkaException e) {
                throw failure(e);
            }
            sentSinceCommit = false;
            return;
        }
        if (!sentSinceCommit && offsets.isEmpty()) {
            return;
        }
        beginIfNeeded();
        try {
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.flush();
            checkSends();
            FaultInjection.reached(FaultInjection.HALT_IN_TRANSACTION);
            commitWithRetries();
        }
        catch (KafkaException e) {
            throw failure(e);
        }
        inTransaction = false;
        sentSinceCommit = false;
    }

    private void commitWithRetries()
    {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            }
            catch (TimeoutException e) {
                if (attempt == COMMIT_ATTEMPTS) {
                    throw e;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** Aborts the open transaction, if any; failures here only mean the broker aborts it on timeout. */
    void abort()
    {
        sendFailure.set(null);
        sentSinceCommit = false;
        if (!transactional || !inTransaction) {
            return;
        }
        inTransaction = false;
        try {
            producer.abortTransaction();
        }
        catch (KafkaException e) {
            // fenced or broken: the next owner's initTransactions (or the transaction timeout) aborts it
        }
    }

    /**
     * Offset after the last acknowledged changelog record, at least {@code restoredPosition} (records
     * of an aborted transaction may lie below the position a restore reached).
     */
    long changelogEnd(long restoredPosition)
    {
        return Math.max(changelogEnd.get(), restoredPosition);
    }

    private void beginIfNeeded()
    {
        if (transactional && !inTransaction) {
            try {
                producer.beginTransaction();
            }
            catch (KafkaException e) {
                throw failure(e);
            }
            inTransaction = true;
            transactionStart = clock.getAsLong();
        }
    }

    private void checkSends()
    {
        Exception failed = sendFailure.getAndSet(null);
        if (failed != null) {
            throw failed instanceof KafkaException kafka ? kafka : new KafkaException(failed);
        }
    }

    /**
     * Sorts a failure. An old epoch, or a fenced producer, means either another owner initialised the id
     * or the broker aborted our transaction because it stayed open past its timeout (the thread stalled;
     * the broker then bumps the epoch itself, which Kafka 4 reports as {@link ProducerFencedException}):
     * only the second is retried (with a new producer), told apart by the age of the transaction, so two
     * owners never fence each other back and forth.
     */
    private RuntimeException failure(KafkaException e)
    {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        boolean oldEpoch = e instanceof InvalidProducerEpochException || cause instanceof InvalidProducerEpochException
                || e instanceof ProducerFencedException || cause instanceof ProducerFencedException;
        boolean timedOut = inTransaction && clock.getAsLong() - transactionStart >= transactionTimeoutMillis;
        if (cause instanceof TransactionalIdAuthorizationException || (oldEpoch && !timedOut)) {
            return new TaskFencedException(task, e);
        }
        if (cause instanceof UnknownProducerIdException || cause instanceof OutOfOrderSequenceException || transactional) {
            abort();
        }
        return new TaskCorruptedException(task, e);
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while retrying a commit", e);
        }
    }

    @Override
    public void close()
    {
        producer.close(Duration.ofSeconds(5));
    }
}
