package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.metrics.TaskMeters;
import io.kaflowsql.engine.internal.operator.EnrichmentTask;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.state.ChangelogTaskStore;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * One task (pipeline, partition) at run time: its enrichment operator, its RocksDB store (changes
 * logged to the changelog), its producer and commit protocol, and its checkpoints.
 *
 * <p>Lifecycle: optionally {@link #prepare} (restore ahead of a hand-over) and {@link #fence} (possibly on
 * another thread), then {@link #open} (fence the previous owner, rebuild state), then {@link #process} and
 * {@link #commit} alternately, {@link #checkpointIfDue} after a commit, {@link #sampleMetrics} now and
 * then, and {@link #close}. While open, the task has its {@link TaskMeters} (lag, state size); closing
 * removes them. After a {@link TaskCorruptedException} the caller closes it unclean and opens it again
 * (with a new producer: a transactional producer is initialised once).
 *
 * <p>Not thread-safe: confined to the stream thread, except that it may hand {@link #fence} to a worker and
 * wait for it.
 */
final class StreamTask
{
    private static final Logger log = LoggerFactory.getLogger(StreamTask.class);

    private final String name;
    private final int partition;
    private final CompiledPipeline pipeline;
    private final DimensionTable[] dimensions;
    private final PipelineMetrics metrics;
    private final Supplier<TaskProducer> producers;
    private final DeadLetters deadLetters;
    private final String changelogTopic;
    private final TaskCheckpoints checkpoints;
    private final TopicPartition changelog;
    private final long checkpointIntervalMillis;
    private final Clock clock;
    private final List<String> inputTopics;
    private final PipelineMeters meters;
    private final OutputObserver observer;
    private final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    private TaskProducer producer;
    /** Made by {@link #prepare}, metadata fetched, not yet initialised: {@link #fence} uses it. */
    private TaskProducer warmProducer;
    private RocksTaskStore rocks;
    private final PipelineFormats formats;
    private EnrichmentTask operator;
    private TaskMeters taskMeters;
    private long restoredChangelogPosition;
    /** State restored ahead of a hand-over, not open yet ({@link #prepare}). */
    private TaskRestorer.Restored prepared;
    private long lastCheckpointMillis;
    private boolean changedSinceCheckpoint;

    StreamTask(CompiledPipeline pipeline, int partition, DimensionTable[] dimensions, PipelineMetrics metrics, PipelineFormats formats,
            Supplier<TaskProducer> producers, DeadLetters deadLetters, String changelogTopic, TaskCheckpoints checkpoints, long checkpointIntervalMillis,
            Clock clock, List<String> inputTopics, PipelineMeters meters, OutputObserver observer)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.partition = partition;
        this.name = pipeline.name() + "-" + partition;
        this.dimensions = requireNonNull(dimensions, "dimensions is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.formats = requireNonNull(formats, "formats is null");
        this.producers = requireNonNull(producers, "producers is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.changelogTopic = requireNonNull(changelogTopic, "changelogTopic is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.changelog = new TopicPartition(changelogTopic, partition);
        this.checkpointIntervalMillis = checkpointIntervalMillis;
        this.clock = requireNonNull(clock, "clock is null");
        this.inputTopics = List.copyOf(requireNonNull(inputTopics, "inputTopics is null"));
        this.meters = requireNonNull(meters, "meters is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    String name()
    {
        return name;
    }

    boolean isOpen()
    {
        return operator != null;
    }

    int partition()
    {
        return partition;
    }

    /**
     * Restores the store ahead of a hand-over, while the previous owner still processes (no fence yet):
     * {@link #open} then only reads the changelog records written since. Also makes the task's producer and fetches
     * its topics' metadata, so the hand-over's fence and first sends do not wait for it. Idempotent.
     */
    void prepare(TaskRestorer restorer)
    {
        if (prepared == null && !isOpen()) {
            prepared = restorer.restore(name, checkpoints, changelog);
        }
        if (warmProducer == null && producer == null) {
            warmProducer = producers.get();
            warmProducer.warmUp(List.of(pipeline.definition().output().topic(), changelogTopic, deadLetters.deadLetterTopic()));
        }
    }

    boolean isPrepared()
    {
        return prepared != null;
    }

    /**
     * Creates the task's producer and fences any previous owner (which also aborts its open transaction).
     * May run on another thread than the stream thread, for several tasks at once, as long as the stream
     * thread waits for it (a Future) before it touches this task again. Idempotent until {@link #close}.
     */
    void fence()
    {
        if (producer != null) {
            return;
        }
        TaskProducer created = warmProducer != null ? warmProducer : producers.get();
        warmProducer = null;
        try {
            created.initialize();
        }
        catch (RuntimeException e) {
            created.close();
            throw e;
        }
        producer = created;
    }

    /**
     * Fences the previous owner (unless {@link #fence} did), then rebuilds the store from checkpoint and changelog,
     * or, when it was {@link #prepare}d, reads only the changelog written since.
     */
    void open(TaskRestorer restorer)
    {
        fence();
        TaskSink sink = new TaskSink(pipeline.name(), producer, metrics, deadLetters, changelogTopic, partition, meters, clock);
        TaskRestorer.Restored restored = prepared == null
                ? restorer.restore(name, checkpoints, changelog)
                : restorer.catchUp(name, prepared, checkpoints, changelog);
        prepared = null;
        rocks = restored.store();
        restoredChangelogPosition = restored.changelogPosition();
        metrics.restored(restored.records(), restored.bytes(), restored.millis());
        meters.restored(restored.millis());
        operator = new EnrichmentTask(pipeline, new ChangelogTaskStore(rocks, sink), dimensions, metrics, sink,
                formats.outputEncoders().get(), InputLimits.DEFAULTS, formats.inputs(), observer);
        taskMeters = meters.openTask(partition, inputs(inputTopics));
        sampleState();
        consumed.clear();
        lastCheckpointMillis = clock.millis();
        changedSinceCheckpoint = false;
    }

    void process(int[] sources, ConsumerRecord<byte[], byte[]> record)
    {
        InputRecord input = new InputRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.timestamp());
        try {
            for (int source : sources) {
                operator.process(source, input);
            }
        }
        catch (SchemaRegistryException e) {
            // the record is fine but its writer schema cannot be fetched now: retry it later, do not dead-letter it
            throw new TaskCorruptedException(name, "cannot decode Avro while the schema registry is unavailable", e);
        }
    }

    /** Marks the records of {@code partition} before {@code nextOffset} processed; once per polled chunk, not per record. */
    void consumedUpTo(TopicPartition partition, long nextOffset)
    {
        consumed.put(partition, new OffsetAndMetadata(nextOffset));
    }

    void dimensionChanged(int source, String joinValue)
    {
        operator.dimensionChanged(source, joinValue);
    }

    /** Rechecks up to {@code limit} of the records held when the task opened; true once all were (see {@link EnrichmentTask#recheckHeld}). */
    boolean recheckHeld(int limit)
    {
        return operator.recheckHeld(limit);
    }

    /**
     * Commits what the task did since the last commit. Exactly-once: one transaction with the input
     * offsets, and the returned map is empty. At-least-once: results acknowledged, and the offsets to
     * commit through the consumer are returned.
     */
    Map<TopicPartition, OffsetAndMetadata> commit(ConsumerGroupMetadata group, boolean transactional)
    {
        PreparedCommit commit = prepareCommit(group, transactional);
        commit.send();
        return commit.complete();
    }

    /**
     * The first third of {@link #commit}, on the stream thread: the operator's buffered state changes are sent and the
     * offsets consumed so far taken (at-least-once: as a {@linkplain #markCommitPoint commit point}). Then {@link
     * PreparedCommit#send} (only the producer: any thread, while the stream thread waits, so that several tasks'
     * commits wait for the broker together) and {@link PreparedCommit#complete} (the stream thread again).
     */
    PreparedCommit prepareCommit(ConsumerGroupMetadata group, boolean transactional)
    {
        if (!transactional) {
            markCommitPoint();
            return new PreparedCommit(Map.of(), group, false);
        }
        operator.flush();
        return new PreparedCommit(Map.copyOf(consumed), group, true);
    }

    /**
     * At-least-once, without waiting: sends the operator's buffered state changes and makes the offsets consumed so far
     * a commit point, which {@link #acknowledgedCommits} hands out once the broker acknowledged everything sent before.
     */
    void markCommitPoint()
    {
        operator.flush();
        producer.markCommitPoint(Map.copyOf(consumed));
        consumed.clear();
    }

    /**
     * At-least-once: the offsets of the commit points whose records the broker acknowledged, to commit through the
     * consumer; empty when none is released yet. Throws {@link TaskCorruptedException} when a send failed.
     */
    Map<TopicPartition, OffsetAndMetadata> acknowledgedCommits()
    {
        Map<TopicPartition, OffsetAndMetadata> offsets = producer.acknowledgedOffsets();
        recordCommitted(offsets);
        return offsets;
    }

    /** True when a checkpoint is due: the interval passed and something was committed since the last one. */
    boolean checkpointDue()
    {
        return changedSinceCheckpoint && clock.millis() - lastCheckpointMillis >= checkpointIntervalMillis;
    }

    private void recordCommitted(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        offsets.forEach((topicPartition, offset) -> committed.put(topicPartition, offset.offset()));
        if (!offsets.isEmpty()) {
            changedSinceCheckpoint = true;
            metrics.committed();
        }
    }

    /** A commit whose state changes were sent; see {@link #prepareCommit}. */
    final class PreparedCommit
    {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;
        private final boolean transactional;

        private PreparedCommit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, boolean transactional)
        {
            this.offsets = offsets;
            this.group = group;
            this.transactional = transactional;
        }

        StreamTask task()
        {
            return StreamTask.this;
        }

        /** Exactly-once: the transaction with the offsets committed; at-least-once: every send acknowledged. Blocks. */
        void send()
        {
            producer.commit(offsets, group);
        }

        /**
         * After {@link #send} succeeded: the offsets to commit through the consumer (at-least-once: every commit point's,
         * all released now; none with exactly-once).
         */
        Map<TopicPartition, OffsetAndMetadata> complete()
        {
            if (!transactional) {
                return acknowledgedCommits();
            }
            consumed.clear();
            recordCommitted(offsets);
            return Map.of();
        }
    }

    /**
     * Checkpoints the store if the interval passed (or {@code force}) and anything was committed since the
     * last one. Call right after {@link #commit}, so the store reflects exactly the committed changelog.
     */
    void checkpointIfDue(boolean force)
    {
        if (force ? !changedSinceCheckpoint : !checkpointDue()) {
            return;
        }
        long now = clock.millis();
        Map<String, Long> inputs = new TreeMap<>();
        committed.forEach((topicPartition, offset) -> inputs.put(topicPartition.toString(), offset));
        long changelogPosition = producer.changelogEnd(restoredChangelogPosition);
        long start = meters.monotonicNanos();
        TaskCheckpoints.Checkpoint checkpoint = checkpoints.write(rocks, changelogPosition, inputs, now);
        meters.checkpointWritten(meters.monotonicNanos() - start);
        metrics.checkpointed();
        lastCheckpointMillis = now;
        changedSinceCheckpoint = false;
        log.debug("Task {} checkpoint {} at changelog offset {}", name, checkpoint.sequence(), changelogPosition);
    }

    /**
     * Samples the task's gauges: the lag of its inputs from {@code consumer} and the size of its store.
     * Call on the stream thread (which owns both) while the task is open.
     */
    void sampleMetrics(Consumer<?, ?> consumer)
    {
        if (taskMeters != null) {
            taskMeters.sampleLag(consumer);
            sampleState();
        }
    }

    private void sampleState()
    {
        RocksTaskStore.Sizes sizes = rocks.sizes();
        taskMeters.sampleState(sizes.bytes(), sizes.keys(), sizes.pendingRecords());
    }

    /** The input partitions of this task among {@code topics}. */
    List<TopicPartition> inputs(List<String> topics)
    {
        return topics.stream().map(topic -> new TopicPartition(topic, partition)).toList();
    }

    /**
     * Closes the store and the producer. An unclean close (after a failure) aborts the open transaction;
     * its changes are discarded when the task is opened again, which rebuilds the store.
     */
    void close(boolean clean)
    {
        if (taskMeters != null) {
            taskMeters.close();
            taskMeters = null;
        }
        if (producer != null) {
            if (!clean) {
                producer.abort();
            }
            producer.close();
            producer = null;
        }
        if (rocks != null) {
            rocks.close();
            rocks = null;
        }
        if (prepared != null) {
            prepared.store().close();
            prepared = null;
        }
        if (warmProducer != null) {
            warmProducer.close();
            warmProducer = null;
        }
        operator = null;
    }
}
