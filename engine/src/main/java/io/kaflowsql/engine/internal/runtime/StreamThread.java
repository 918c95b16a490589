package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StateStoreException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The consume → process → produce loop of one pipeline on this node: owns its open tasks (one per owned
 * partition of the driving stream) and the consumer of the partitioned topics.
 *
 * <p>Which tasks are open follows {@link TaskOwnership}: between two polls, when a newer request arrived
 * (or an earlier open must be retried), the thread first <em>releases</em> every task no longer wanted
 * (commits its pending work, forces a checkpoint, closes it cleanly with its producer, removes its
 * partitions from the assignment), then <em>opens</em> the new ones (fences the previous owner, restores
 * from the newest local checkpoint plus the changelog tail, assigns its partitions, seeks them to the
 * committed offsets, holds the driving partition until its event tables caught up). A standalone node
 * simply owns every partition. The thread reports running ({@code onRunning}) once it applied the
 * ownership known when it started — none at all in cluster mode until {@code own} is called: a node
 * without tasks still runs (and keeps its dimensions current), it just has nothing to poll and idles.
 *
 * <p>Every {@code commitInterval} each task commits, and tasks whose checkpoint interval passed write a checkpoint:
 * see {@link TaskCommitter}.
 *
 * <p>Metrics: the time spent on each polled chunk is recorded per record (one timer sample per chunk), and
 * once a second every open task samples its consumer lag and state size into its gauges (gauges never
 * touch the consumer or a store themselves: neither is thread-safe). A task's meters live while it is open.
 *
 * <p>A task whose producer was fenced stops alone (another node owns it now) and is not reopened until a
 * newer ownership request names it; a task whose commit failed otherwise aborts, rebuilds its state and
 * resumes from its committed offsets, with backoff.
 *
 * <p>Threading: {@link #run()} on its own thread owns everything mutable here; {@link #stop()} may be
 * called from any thread (it wakes the consumers). Dimension changes arrive through a concurrent queue,
 * ownership requests through {@link TaskOwnership}, pause and resume through {@link PauseRequest} (a paused thread
 * keeps its tasks and commits, it only stops polling).
 */
final class StreamThread
        implements Runnable
{
    private static final Logger log = LoggerFactory.getLogger(StreamThread.class);
    /** Retries of opening or reopening a task: 100 ms doubling up to 10 s. */
    private static final Backoff RETRY_BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private static final Duration POLL = Duration.ofMillis(50);
    /** Pause of a loop without any assigned partition: {@code KafkaConsumer.poll} refuses an empty assignment. */
    private static final Duration IDLE = Duration.ofMillis(50);
    /** Records processed between two checks of the commit interval inside one partition's chunk of a poll. */
    private static final int COMMIT_CHECK_RECORDS = 256;
    /** Held records a newly opened task rechecks per loop (see {@link #recheckHeldRecords}). */
    private static final int RECHECK_PAGE = 512;
    private static final long METRICS_SAMPLE_MILLIS = 1_000;
    private static final Duration WARM_UP_RECHECK = Duration.ofMillis(100);

    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final boolean transactional;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> restoreConsumer;
    private final TaskRestorer restorer;
    private final TaskFactory taskFactory;
    private final TaskOwnership ownership;
    private final TaskClaims claims;
    private final int partitionCount;
    private final PipelineMetrics metrics;
    private final PipelineMeters meters;
    private final Queue<DimensionChange> dimensionChanges;
    private final Runnable onRunning;
    private final Map<String, int[]> sourcesByTopic = new HashMap<>();
    private final List<String> partitionedTopics;
    /** Tasks of the partitions this thread owns (a task being rebuilt after a failure stays here, closed). */
    private final Map<Integer, StreamTask> tasks = new TreeMap<>();
    private final EventTableCatchUp catchUp;
    /** Tasks rewound to their committed offsets during the current batch: its other records of them are skipped. */
    private final Set<Integer> rewound = new HashSet<>();
    private volatile boolean running = true;
    private final TaskCommitter committer;
    private long lastMetricsSampleMillis;
    /** Version of the ownership request fully applied; a retry is due at {@code retryAtMillis} when an open failed. */
    private long appliedVersion = -1;
    private long retryAtMillis = Long.MAX_VALUE;
    private Duration openBackoff = RETRY_BACKOFF.first();
    /** Set by {@link #open} when an open failed (as opposed to waiting for a warm-up): retries back off. */
    private boolean openFailed;
    /** Partitions whose open waits for a warm-up of this node (logged once). */
    private final Set<Integer> awaitingWarmUp = new HashSet<>();
    /** Tasks restored ahead of their hand-over to this node, claimed but not open. */
    private final Map<Integer, StreamTask> prepared = new TreeMap<>();
    /** Tasks opened here whose first driving records are still to come: partition -> when it opened (monotonic nanos). */
    private final Map<Integer, Long> awaitingFirstRecords = new HashMap<>();
    /** Tasks opened here whose held records are still being rechecked: partition -> when it opened (monotonic nanos). */
    private final Map<Integer, Long> awaitingRecheck = new HashMap<>();
    private final TaskWorkers workers;
    private final CheckpointRequests checkpointRequests;
    private final PauseRequest pause;

    StreamThread(CompiledPipeline pipeline, RuntimeSettings settings, ClientFactory clients, DimensionTable[] dimensions,
            PipelineMetrics metrics, PipelineFormats formats, PipelineMeters meters, OutputObserver observer, Queue<DimensionChange> dimensionChanges,
            int partitionCount, TaskOwnership ownership, TaskClaims claims, CheckpointRequests checkpointRequests, PauseRequest pause, CheckpointAgeLimit ageLimit,
            Runnable onRunning)
    {
        this.pause = requireNonNull(pause, "pause is null");
        this.checkpointRequests = requireNonNull(checkpointRequests, "checkpointRequests is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.meters = requireNonNull(meters, "meters is null");
        this.dimensionChanges = requireNonNull(dimensionChanges, "dimensionChanges is null");
        this.ownership = requireNonNull(ownership, "ownership is null");
        this.claims = requireNonNull(claims, "claims is null");
        this.onRunning = requireNonNull(onRunning, "onRunning is null");
        this.partitionCount = partitionCount;
        this.transactional = settings.guarantee() == ProcessingGuarantee.EXACTLY_ONCE;
        String groupId = settings.consumerGroup() + "-" + pipeline.name();
        this.consumer = clients.streamConsumer(groupId, groupId + "-stream");
        this.restoreConsumer = clients.restoreConsumer(groupId + "-restore");
        this.catchUp = new EventTableCatchUp(consumer, pipeline.driving().topic());
        this.restorer = new TaskRestorer(restoreConsumer, RocksTaskStoreOptions.REBUILT_ON_RESTART, settings.clock(), ageLimit);
        Map<String, List<Integer>> indexes = new HashMap<>();
        for (SourcePlan source : pipeline.plan().sources()) {
            if (pipeline.partitionedTopics().contains(source.topic())) {
                indexes.computeIfAbsent(source.topic(), topic -> new ArrayList<>()).add(source.index());
            }
        }
        indexes.forEach((topic, list) -> sourcesByTopic.put(topic, list.stream().mapToInt(Integer::intValue).toArray()));
        this.partitionedTopics = List.copyOf(sourcesByTopic.keySet());
        this.workers = new TaskWorkers(pipeline.name());
        this.committer = new TaskCommitter(consumer, pipeline.name(), transactional, settings, workers, this::openTasks, this::recover);
        this.taskFactory = new TaskFactory(pipeline, settings, clients, dimensions, metrics, formats, meters, requireNonNull(observer, "observer is null"),
                partitionedTopics);
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
            reconcile();
            if (!running) {
                return;
            }
            onRunning.run();
            committer.restartInterval();
            while (running) {
                reconcileIfDue();
                applyDimensionChanges();
                if (paused() || consumer.assignment().isEmpty()) {
                    sleep(IDLE);
                }
                else {
                    processBatch(consumer.poll(POLL));
                }
                catchUp.resumeCaughtUp();
                recheckHeldRecords();
                committer.commitAcknowledged();
                committer.commitIfDue();
                checkpointIfRequested();
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

    private void reconcileIfDue()
    {
        if (ownership.version() != appliedVersion || settings.clock().millis() >= retryAtMillis) {
            reconcile();
        }
    }

    /**
     * Follows the latest pause request. Pausing first commits every open task, so that once {@link PauseRequest#applied}
     * reports it, every result of the records read before the pause is visible and no other comes until the resume.
     */
    private boolean paused()
    {
        boolean requested = pause.requested();
        if (requested != pause.applied()) {
            if (requested) {
                committer.commitAllPaced();
            }
            pause.applied(requested);
            log.info("Pipeline {} {}", pipeline.name(), requested ? "paused: its inputs are not read until it is resumed" : "resumed");
        }
        return requested;
    }

    /**
     * Applies the latest ownership request: releases the tasks no longer wanted (and announces it at once: the
     * next owner is waiting), opens the new ones, then restores ahead the tasks about to be handed over here.
     */
    private void reconcile()
    {
        TaskOwnership.Plan plan = ownership.plan(tasks.keySet(), partitionCount);
        if (!plan.release().isEmpty()) {
            release(plan.release());
        }
        discardPreparedExcept(plan);
        if (blocksForRestore(plan)) {
            // a restore can take longer than the transaction timeout; a transaction left open meanwhile would be
            // aborted by the broker, and the task's producer fenced by its own coordinator
            committer.commitAllPaced();
        }
        openFailed = false;
        Set<Integer> opened = openAll(plan.open());
        boolean allPrepared = prepareAll(plan.prepare());
        boolean complete = opened.size() == plan.open().size() && allPrepared;
        ownership.publishPrepared(prepared.keySet());
        if (!running) {
            return;
        }
        // only when something changed: a task waiting for a warm-up to finish is retried every 100 ms
        if (!plan.release().isEmpty() || !opened.isEmpty()) {
            log.info("Pipeline {} owns partitions {} (released {}, opened {}{})", pipeline.name(), tasks.keySet(), plan.release(), opened,
                    complete ? "" : ", others retried later");
        }
        if (complete) {
            appliedVersion = plan.version();
            retryAtMillis = Long.MAX_VALUE;
            openBackoff = RETRY_BACKOFF.first();
        }
        else if (openFailed) {
            retryAtMillis = settings.clock().millis() + openBackoff.toMillis();
            openBackoff = RETRY_BACKOFF.after(openBackoff);
        }
        else {
            retryAtMillis = settings.clock().millis() + WARM_UP_RECHECK.toMillis(); // the task opens as soon as its warm-up is done
        }
    }

    /** True when {@code plan} opens a task or restores one ahead: steps that block this thread for a while. */
    private boolean blocksForRestore(TaskOwnership.Plan plan)
    {
        return !plan.open().isEmpty() || plan.prepare().stream().anyMatch(partition -> !prepared.containsKey(partition));
    }

    /**
     * Opens the tasks of {@code partitions}: claims them, fences their previous owners (in parallel: each fence
     * is a few round trips to the transaction coordinator), then restores each and adds its inputs to the
     * assignment, publishing the owned set after each so the node reports it at once.
     *
     * @return the partitions opened
     */
    private Set<Integer> openAll(Set<Integer> partitions)
    {
        Map<Integer, StreamTask> claimed = new TreeMap<>();
        for (int partition : partitions) {
            StreamTask task = claim(partition);
            if (task != null) {
                claimed.put(partition, task);
            }
        }
        Map<Integer, Long> fenceStarts = new HashMap<>();
        claimed.keySet().forEach(partition -> fenceStarts.put(partition, meters.monotonicNanos()));
        workers.runAll(claimed.values(), StreamTask::partition, StreamTask::fence).forEach((partition, failure) -> {
            StreamTask task = claimed.remove(partition);
            giveUp(task, failure);
        });
        Set<Integer> opened = new TreeSet<>();
        for (StreamTask task : claimed.values()) {
            if (!running) {
                closeQuietly(task, false);
                claims.release(task.partition());
                continue;
            }
            if (open(task, fenceStarts.get(task.partition()))) {
                opened.add(task.partition());
                List<TopicPartition> added = task.inputs(partitionedTopics);
                List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
                assignment.addAll(added);
                consumer.assign(assignment);
                seekToCommitted(added);
                catchUp.holdDrivingUntilCaughtUp(added);
                ownership.publish(tasks.keySet());
            }
        }
        return opened;
    }

    /** The task of {@code partition}, claimed (the one prepared ahead if any); null while a warm-up of it runs. */
    private StreamTask claim(int partition)
    {
        StreamTask task = prepared.remove(partition);
        if (task != null) {
            return task;
        }
        if (!claims.tryClaim(partition)) {
            if (awaitingWarmUp.add(partition)) {
                log.info("Task {}-{} opens once its running warm-up finished", pipeline.name(), partition);
            }
            return null;
        }
        awaitingWarmUp.remove(partition);
        return taskFactory.create(partition);
    }

    /** Restores a fenced task (or catches its prepared state up) and makes it processing; false when that failed. */
    private boolean open(StreamTask task, long startNanos)
    {
        boolean wasPrepared = task.isPrepared();
        try {
            task.open(restorer);
        }
        catch (RuntimeException e) {
            if (!running && e instanceof WakeupException) {
                closeQuietly(task, false);
                claims.release(task.partition());
                throw e;
            }
            giveUp(task, e);
            return false;
        }
        tasks.put(task.partition(), task);
        awaitingFirstRecords.put(task.partition(), meters.monotonicNanos());
        awaitingRecheck.put(task.partition(), meters.monotonicNanos());
        log.info("Task {} opened in {} ms (fenced the previous owner, {})", task.name(), millisSince(startNanos),
                wasPrepared ? "caught up the state it restored ahead" : "restored its state");
        return true;
    }

    private void giveUp(StreamTask task, Throwable failure)
    {
        log.warn("Task {} could not be opened ({}); retrying in {} ms", task.name(), failure.toString(), openBackoff.toMillis(), failure);
        openFailed = true;
        closeQuietly(task, false);
        claims.release(task.partition());
    }

    /**
     * Restores ahead the tasks about to be handed over here (see {@link TaskOwnership#prepare}), one after another
     * between polls. A task that cannot be claimed now (its standby warm-up runs) is retried shortly; one whose
     * restore failed is simply opened the slow way later.
     *
     * @return whether every one is prepared
     */
    private boolean prepareAll(Set<Integer> partitions)
    {
        boolean complete = true;
        for (int partition : partitions) {
            if (!running) {
                return false;
            }
            if (prepared.containsKey(partition)) {
                continue;
            }
            if (!claims.tryClaim(partition)) {
                complete = false;
                continue;
            }
            StreamTask task = taskFactory.create(partition);
            try {
                task.prepare(restorer);
                warmUpConsumerFor(task.inputs(partitionedTopics));
                prepared.put(partition, task);
                ownership.publishPrepared(prepared.keySet()); // its previous owner may release it now
                log.info("Task {} restored ahead of its hand-over to this node", task.name());
            }
            catch (RuntimeException e) {
                if (!running && e instanceof WakeupException) {
                    claims.release(partition);
                    throw e;
                }
                log.warn("Task {} could not be restored ahead of its hand-over ({}); it is restored when it opens", task.name(), e.toString());
                closeQuietly(task, false);
                claims.release(partition);
            }
        }
        return complete;
    }

    /**
     * Asks once, ahead of a hand-over, for the task's committed offsets and its inputs' metadata. The offsets are stale by
     * the hand-over, but the consumer then knows the group coordinator and the partitions' leaders and is connected to
     * them, so the hand-over's own requests are single round trips. Best effort.
     */
    private void warmUpConsumerFor(List<TopicPartition> inputs)
    {
        try {
            consumer.committed(new HashSet<>(inputs));
            // not endOffsets: for partitions not assigned yet the consumer warns about each answer it cannot keep
            inputs.stream().map(TopicPartition::topic).distinct().forEach(consumer::partitionsFor);
        }
        catch (WakeupException e) {
            throw e;
        }
        catch (KafkaException e) {
            log.debug("Warming up the consumer for {} failed: {}", inputs, e.toString());
        }
    }

    /** Closes the tasks restored ahead that the latest request neither hands over nor gives to this node. */
    private void discardPreparedExcept(TaskOwnership.Plan plan)
    {
        prepared.entrySet().removeIf(entry -> {
            if (plan.open().contains(entry.getKey()) || plan.prepare().contains(entry.getKey())) {
                return false;
            }
            closeQuietly(entry.getValue(), false);
            claims.release(entry.getKey());
            log.info("Task {} is no longer handed over to this node; closed the state restored ahead", entry.getValue().name());
            return true;
        });
    }

    /**
     * Hands tasks over: each commits what it did (one last transaction); then their partitions leave the
     * assignment and the owned set is published, which tells the next owner to go on; only then is each
     * checkpointed (so it is quick to take back) and closed. A task that cannot commit closes uncleanly:
     * its next owner redoes the uncommitted work from the committed offsets.
     */
    private void release(Set<Integer> partitions)
    {
        List<TopicPartition> inputs = new ArrayList<>();
        Map<StreamTask, Boolean> released = new LinkedHashMap<>();
        long start = meters.monotonicNanos();
        for (int partition : partitions) {
            StreamTask task = tasks.remove(partition);
            awaitingFirstRecords.remove(partition);
            awaitingRecheck.remove(partition);
            boolean clean = task.isOpen();
            if (clean) {
                try {
                    committer.commitForRelease(task);
                }
                catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                    log.warn("Task {} could not commit before its release ({}); its next owner redoes its uncommitted work", task.name(), e.getMessage());
                    clean = false;
                }
            }
            released.put(task, clean);
            inputs.addAll(task.inputs(partitionedTopics));
        }
        unassign(inputs);
        ownership.publish(tasks.keySet());
        long committedMillis = millisSince(start);
        released.forEach((task, clean) -> {
            if (clean) {
                TaskCommitter.checkpoint(task, true);
            }
            closeQuietly(task, clean);
            claims.release(task.partition());
            log.info("Task {} released: {} in {} ms, then checkpointed and closed ({} ms in all)", task.name(),
                    clean ? "committed" : "closed without commit", committedMillis, millisSince(start));
        });
    }

    private void unassign(List<TopicPartition> inputs)
    {
        List<TopicPartition> remaining = new ArrayList<>(consumer.assignment());
        remaining.removeAll(inputs);
        consumer.assign(remaining);
    }

    private long millisSince(long startNanos)
    {
        return (meters.monotonicNanos() - startNanos) / 1_000_000;
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
            try {
                processChunk(task, partition, records.records(partition));
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recover(task, e);
            }
            committer.commitIfDue();
        }
    }

    /**
     * Processes one partition's records of a poll. A poll brings up to thousands of records per partition, and on a
     * busy machine with a cold store they can take longer than the transaction timeout: every
     * {@value #COMMIT_CHECK_RECORDS} records the commit interval is checked, and a due commit happens mid-chunk (it
     * is a consistent cut: every task's results and offsets so far).
     */
    private void processChunk(StreamTask task, TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> chunk)
    {
        int[] sources = sourcesByTopic.get(partition.topic());
        long start = meters.monotonicNanos();
        long next = -1;
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : chunk) {
            task.process(sources, record);
            next = record.offset() + 1;
            count++;
            if (count % COMMIT_CHECK_RECORDS == 0 && committer.due()) {
                task.consumedUpTo(partition, next);
                committer.commitIfDue();
                if (rewound.contains(partition.partition()) || !task.isOpen()) {
                    return; // its commit failed: it resumes from its committed offsets, these records come again
                }
            }
        }
        task.consumedUpTo(partition, next);
        meters.chunkProcessed(meters.monotonicNanos() - start, count);
        Long openedAt = partition.topic().equals(pipeline.driving().topic()) ? awaitingFirstRecords.remove(partition.partition()) : null;
        if (openedAt != null) {
            // the last step of a hand-over seen from here: a gap is the time to open plus this
            log.info("Task {} processed its first {} record(s) of {} {} ms after it opened", task.name(), count, partition, millisSince(openedAt));
        }
    }

    /** Serves "checkpoint now" requests: every open task commits and writes a checkpoint (if it changed since its last one). */
    private void checkpointIfRequested()
    {
        if (!checkpointRequests.hasPending()) {
            return;
        }
        committer.commitAllPaced();
        committer.checkpointAll(true);
        checkpointRequests.complete(openPartitions());
    }

    private Set<Integer> openPartitions()
    {
        Set<Integer> partitions = new TreeSet<>();
        openTasks().forEach(task -> partitions.add(task.partition()));
        return partitions;
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

    /**
     * Rechecks a page of each newly opened task's held records (a dimension row that changed while no node had the
     * task open released nothing). Paged so a large pending buffer never holds up the tasks' input.
     */
    private void recheckHeldRecords()
    {
        for (StreamTask task : openTasks()) {
            try {
                if (task.recheckHeld(RECHECK_PAGE)) {
                    Long openedAt = awaitingRecheck.remove(task.partition());
                    if (openedAt != null) {
                        log.info("Task {} rechecked the records it held when it opened, {} ms after it opened", task.name(), millisSince(openedAt));
                    }
                }
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recover(task, e);
            }
        }
    }

    private List<StreamTask> openTasks()
    {
        return tasks.values().stream().filter(StreamTask::isOpen).toList();
    }

    /**
     * A fenced task stops here (its new owner continues it) and stays out until a newer ownership request
     * names it. Any other failure discards the task's uncommitted work: it is reopened (state rebuilt) and
     * its inputs rewound to the committed offsets, retrying with backoff while Kafka is unavailable and the
     * task is still wanted here.
     */
    private void recover(StreamTask task, RuntimeException failure)
    {
        rewound.add(task.partition());
        if (failure instanceof TaskFencedException) {
            log.error("Task {} stops on this node: {}", task.name(), failure.getMessage());
            ownership.fenced(task.partition());
            drop(task);
            metrics.fenced(); // after the ownership is published: who sees the count sees the task gone
            return;
        }
        log.warn("Task {}: {}; aborting its transaction, rebuilding its state and resuming from the committed offsets",
                task.name(), failure.getMessage(), failure);
        metrics.aborted();
        Duration backoff = RETRY_BACKOFF.first();
        while (running) {
            task.close(false);
            if (!ownership.wants(task.partition())) {
                drop(task);
                return;
            }
            try {
                task.open(restorer);
                seekToCommitted(task.inputs(partitionedTopics));
                return;
            }
            catch (TaskFencedException e) {
                recover(task, e);
                return;
            }
            catch (RuntimeException e) {
                log.warn("Task {} could not be reopened ({}); retrying in {} ms", task.name(), e.toString(), backoff.toMillis());
                sleep(backoff);
                backoff = RETRY_BACKOFF.after(backoff);
            }
        }
    }

    /** Closes a task without commit and forgets it: its partitions leave the assignment, its claim is given back. */
    private void drop(StreamTask task)
    {
        closeQuietly(task, false);
        tasks.remove(task.partition());
        awaitingFirstRecords.remove(task.partition());
        awaitingRecheck.remove(task.partition());
        claims.release(task.partition());
        unassign(task.inputs(partitionedTopics));
        ownership.publish(tasks.keySet());
    }

    private static void closeQuietly(StreamTask task, boolean clean)
    {
        try {
            task.close(clean);
        }
        catch (RuntimeException e) {
            log.warn("Task {} did not close cleanly: {}", task.name(), e.toString());
        }
    }

    private void shutDown()
    {
        Set<Integer> checkpointed = Set.of();
        try {
            committer.commitAll();
            committer.checkpointAll(true);
            checkpointed = openPartitions();
            log.info("Pipeline {} committed and stopped", pipeline.name());
        }
        catch (RuntimeException e) {
            log.warn("Pipeline {} could not commit on shutdown; its last uncommitted work will be redone", pipeline.name(), e);
        }
        finally {
            checkpointRequests.close(checkpointed);
            pause.applied(false);
            for (StreamTask task : tasks.values()) {
                closeQuietly(task, true);
                claims.release(task.partition());
            }
            tasks.clear();
            prepared.values().forEach(task -> {
                closeQuietly(task, false);
                claims.release(task.partition());
            });
            prepared.clear();
            ownership.publishPrepared(Set.of());
            workers.close();
            ownership.publish(Set.of());
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
