package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StateStoreException;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The consume → process → produce loop of one pipeline on this node: owns its tasks (one per partition
 * of the driving stream) and the consumer of the partitioned topics.
 *
 * <p>Every {@code commitInterval} each task commits (see {@link StreamTask#commit}): under exactly-once
 * one transaction per task holding its results, changelog records, dead letters and input offsets;
 * under at-least-once the results are acknowledged first and the offsets committed after. Then tasks
 * whose checkpoint interval passed write a checkpoint.
 *
 * <p>Metrics: the time spent on each polled chunk is recorded per record (one timer sample per chunk), and
 * once a second every open task samples its consumer lag and state size into its gauges (gauges never
 * touch the consumer or a store themselves: neither is thread-safe).
 *
 * <p>A task whose producer was fenced stops alone (another node owns it now); a task whose commit
 * failed otherwise aborts, rebuilds its state and resumes from its committed offsets, with backoff.
 *
 * <p>Threading: {@link #run()} on its own thread owns everything mutable here; {@link #stop()} may be
 * called from any thread (it wakes the consumers). Dimension changes arrive through a concurrent queue.
 */
final class StreamThread
        implements Runnable
{
    private static final Logger log = LoggerFactory.getLogger(StreamThread.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final long METRICS_SAMPLE_MILLIS = 1_000;

    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final boolean transactional;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> restoreConsumer;
    private final TaskRestorer restorer;
    private final PipelineMetrics metrics;
    private final PipelineMeters meters;
    private final Queue<DimensionChange> dimensionChanges;
    private final Runnable onRunning;
    private final Map<String, int[]> sourcesByTopic = new HashMap<>();
    private final List<String> partitionedTopics;
    private final Map<Integer, StreamTask> tasks = new TreeMap<>();
    private final EventTableCatchUp catchUp;
    /** Tasks rewound to their committed offsets during the current batch: its other records of them are skipped. */
    private final Set<Integer> rewound = new HashSet<>();
    private volatile boolean running = true;
    private long lastCommitMillis;
    private long lastMetricsSampleMillis;

    StreamThread(CompiledPipeline pipeline, RuntimeSettings settings, ClientFactory clients, DimensionTable[] dimensions,
            PipelineMetrics metrics, PipelineFormats formats, PipelineMeters meters, OutputObserver observer, Queue<DimensionChange> dimensionChanges,
            int partitionCount, Runnable onRunning)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.meters = requireNonNull(meters, "meters is null");
        requireNonNull(observer, "observer is null");
        this.dimensionChanges = requireNonNull(dimensionChanges, "dimensionChanges is null");
        this.onRunning = requireNonNull(onRunning, "onRunning is null");
        this.transactional = settings.guarantee() == ProcessingGuarantee.EXACTLY_ONCE;
        String groupId = settings.consumerGroup() + "-" + pipeline.name();
        this.consumer = clients.streamConsumer(groupId, groupId + "-stream");
        this.restoreConsumer = clients.restoreConsumer(groupId + "-restore");
        this.catchUp = new EventTableCatchUp(consumer, pipeline.driving().topic());
        this.restorer = new TaskRestorer(restoreConsumer, RocksTaskStoreOptions.DEFAULTS, settings.clock());
        Map<String, List<Integer>> indexes = new HashMap<>();
        for (SourcePlan source : pipeline.plan().sources()) {
            if (pipeline.partitionedTopics().contains(source.topic())) {
                indexes.computeIfAbsent(source.topic(), topic -> new ArrayList<>()).add(source.index());
            }
        }
        indexes.forEach((topic, list) -> sourcesByTopic.put(topic, list.stream().mapToInt(Integer::intValue).toArray()));
        this.partitionedTopics = List.copyOf(sourcesByTopic.keySet());
        String changelogTopic = TopicLayout.changelogTopic(settings.clusterName(), pipeline);
        DeadLetters deadLetters = DeadLetters.of(pipeline);
        for (int partition = 0; partition < partitionCount; partition++) {
            int p = partition;
            String taskName = pipeline.name() + "-" + p;
            Optional<String> transactionalId = transactional ? Optional.of(settings.clusterName() + "-" + taskName) : Optional.empty();
            tasks.put(p, new StreamTask(pipeline, p, dimensions, metrics, formats,
                    () -> new TaskProducer(taskName, clients.taskProducer(groupId + "-" + p, transactionalId), transactional, changelogTopic,
                            settings.clock()::millis),
                    deadLetters, changelogTopic, new TaskCheckpoints(taskDir(settings.stateDir(), pipeline.name(), p), settings.checkpoints().keep()),
                    settings.checkpoints().interval().toMillis(), settings.clock(), partitionedTopics, meters, observer));
        }
    }

    void stop()
    {
        running = false;
        consumer.wakeup();
        restoreConsumer.wakeup();
    }

    @Override
    public void run()
    {
        try {
            openAll();
            if (!running) {
                return;
            }
            onRunning.run();
            lastCommitMillis = settings.clock().millis();
            while (running) {
                applyDimensionChanges();
                processBatch(consumer.poll(Duration.ofMillis(50)));
                catchUp.resumeCaughtUp();
                commitIfDue();
                sampleMetricsIfDue();
            }
        }
        catch (WakeupException e) {
            if (running) {
                throw e;
            }
        }
        finally {
            shutDown();
        }
    }

    /** Opens every task (fencing previous owners, restoring state), assigns the inputs, seeks to the committed offsets. */
    private void openAll()
    {
        log.info("Pipeline {} restoring state of {} tasks ({})", pipeline.name(), tasks.size(), settings.guarantee().configName());
        for (StreamTask task : tasks.values()) {
            if (!running) {
                return;
            }
            task.open(restorer);
        }
        List<TopicPartition> assignment = new ArrayList<>();
        tasks.values().forEach(task -> assignment.addAll(task.inputs(partitionedTopics)));
        consumer.assign(assignment);
        seekToCommitted(assignment);
        catchUp.holdDrivingUntilCaughtUp(assignment);
        log.info("Pipeline {} processing {} partitions of {}", pipeline.name(), tasks.size(), partitionedTopics);
    }

    private void seekToCommitted(List<TopicPartition> partitions)
    {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                fromStart.add(partition);
            }
            else {
                consumer.seek(partition, offset);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
    }

    /**
     * Processes a poll's records partition by partition, committing in between when the interval passed:
     * a large batch during catch-up must not stretch transactions (and read_committed latency) beyond
     * the commit interval.
     */
    private void processBatch(ConsumerRecords<byte[], byte[]> records)
    {
        rewound.clear();
        for (TopicPartition partition : records.partitions()) {
            StreamTask task = tasks.get(partition.partition());
            if (task == null || !task.isOpen() || rewound.contains(partition.partition())) {
                continue; // stopped, or rewound to its committed offsets: these records come again
            }
            int[] sources = sourcesByTopic.get(partition.topic());
            try {
                long start = meters.monotonicNanos();
                long next = -1;
                int count = 0;
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    task.process(sources, record);
                    next = record.offset() + 1;
                    count++;
                }
                task.consumedUpTo(partition, next);
                meters.chunkProcessed(meters.monotonicNanos() - start, count);
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recover(task, e);
            }
            commitIfDue();
        }
    }

    private void commitIfDue()
    {
        if (settings.clock().millis() - lastCommitMillis >= settings.commitInterval().toMillis()) {
            commitAll();
            checkpointAll(false);
            lastCommitMillis = settings.clock().millis();
        }
    }

    /** Every open task samples its lag and state size into its gauges, at most once a second. */
    private void sampleMetricsIfDue()
    {
        long now = settings.clock().millis();
        if (now - lastMetricsSampleMillis < METRICS_SAMPLE_MILLIS) {
            return;
        }
        lastMetricsSampleMillis = now;
        for (StreamTask task : openTasks()) {
            try {
                task.sampleMetrics(consumer);
            }
            catch (RuntimeException e) {
                // a gauge keeps its previous value; processing must not fail for a metric
                log.debug("Task {} could not sample its metrics: {}", task.name(), e.toString());
            }
        }
    }

    private void applyDimensionChanges()
    {
        DimensionChange change;
        while ((change = dimensionChanges.poll()) != null) {
            for (StreamTask task : openTasks()) {
                try {
                    task.dimensionChanged(change.source(), change.joinValue());
                }
                catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                    recover(task, e);
                }
            }
        }
    }

    /** Commits every task; under at-least-once then commits their input offsets in one call. */
    private void commitAll()
    {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (StreamTask task : openTasks()) {
            try {
                offsets.putAll(task.commit(consumer.groupMetadata(), transactional));
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recover(task, e);
            }
        }
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            }
            catch (WakeupException e) {
                consumer.commitSync(offsets); // stop() woke the consumer while it was not polling
            }
        }
    }

    private List<StreamTask> openTasks()
    {
        return tasks.values().stream().filter(StreamTask::isOpen).toList();
    }

    private void checkpointAll(boolean force)
    {
        for (StreamTask task : openTasks()) {
            try {
                task.checkpointIfDue(force);
            }
            catch (RuntimeException e) {
                // the previous checkpoint stays valid; restore just replays a longer changelog tail
                log.warn("Task {} could not write a checkpoint: {}", task.name(), e.toString());
            }
        }
    }

    /**
     * A fenced task stops here (its new owner continues it). Any other failure discards the task's
     * uncommitted work: it is reopened (state rebuilt) and its inputs rewound to the committed offsets,
     * retrying with backoff while Kafka is unavailable.
     */
    private void recover(StreamTask task, RuntimeException failure)
    {
        List<TopicPartition> inputs = task.inputs(partitionedTopics);
        rewound.add(task.partition());
        if (failure instanceof TaskFencedException) {
            log.error("Task {} stops on this node: {}", task.name(), failure.getMessage());
            metrics.fenced();
            task.close(false);
            tasks.remove(task.partition());
            List<TopicPartition> remaining = new ArrayList<>(consumer.assignment());
            remaining.removeAll(inputs);
            consumer.assign(remaining);
            return;
        }
        log.warn("Task {}: {}; aborting its transaction, rebuilding its state and resuming from the committed offsets",
                task.name(), failure.getMessage(), failure);
        metrics.aborted();
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            task.close(false);
            try {
                task.open(restorer);
                seekToCommitted(inputs);
                return;
            }
            catch (TaskFencedException e) {
                recover(task, e);
                return;
            }
            catch (RuntimeException e) {
                log.warn("Task {} could not be reopened ({}); retrying in {} ms", task.name(), e.toString(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void shutDown()
    {
        try {
            commitAll();
            checkpointAll(true);
            log.info("Pipeline {} committed and stopped", pipeline.name());
        }
        catch (RuntimeException e) {
            log.warn("Pipeline {} could not commit on shutdown; its last uncommitted work will be redone", pipeline.name(), e);
        }
        finally {
            for (StreamTask task : tasks.values()) {
                try {
                    task.close(true);
                }
                catch (RuntimeException e) {
                    log.warn("Task {} did not close cleanly: {}", task.name(), e.toString());
                }
            }
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            restoreConsumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path taskDir(Path stateDir, String pipeline, int partition)
    {
        return stateDir.resolve(pipeline).resolve("task-" + partition);
    }
}
