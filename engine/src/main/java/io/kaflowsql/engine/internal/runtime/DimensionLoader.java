package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.DimensionBootstrapStats;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.metrics.ConsumerLagGauges;
import io.kaflowsql.engine.internal.operator.DimensionUpdater;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Keeps this node's full copy of a pipeline's dimension tables: reads every partition of each
 * dimension topic from the beginning and then follows it. It is ready once it has caught up to the end
 * offsets seen at start; tasks wait for that before they process (ARCHITECTURE.md section 4).
 *
 * <p>Given a peer's snapshot ({@link DimensionSnapshots}) it loads the rows first and reads each
 * partition from the snapshot's offset instead (a partition the snapshot does not name: from the
 * beginning). A snapshot that does not fit (another pipeline or plan, offsets outside the partitions,
 * corrupt) is logged and ignored: the loader then reads everything. It writes snapshots itself on
 * request ({@link #writeSnapshot}), on its own thread between two polls, so the rows and the offsets
 * written agree.
 *
 * <p>Runs on its own thread ({@link #run()}); {@link #awaitReady} and {@link #stop} may be called from
 * any thread. Every upsert is reported to {@code changes} so held records can be released; every record
 * that cannot be applied to {@code rejects} (the dead-letter topic). After each poll it samples its
 * consumer's lag per dimension partition into {@code lag} (on this thread: consumers are not thread-safe).
 * Each node reads the dimensions from the start on every start, so a bad dimension record is
 * dead-lettered again by every node start: dead letters of dimensions are at-least-once, identified by
 * their source topic, partition and offset.
 */
final class DimensionLoader
        implements Runnable
{
    private static final Logger log = LoggerFactory.getLogger(DimensionLoader.class);

    private final CompiledPipeline pipeline;
    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final PipelineMetrics metrics;
    private final ConsumerLagGauges lag;
    private final Consumer<DimensionChange> changes;
    private final Consumer<RejectedRecord> rejects;
    private final Map<String, List<SourcePlan>> sourcesByTopic = new HashMap<>();
    private final Map<Integer, DimensionUpdater> updaters = new HashMap<>();
    private final DimensionSnapshots snapshots;
    private final Optional<Path> snapshot;
    private final Queue<SnapshotRequest> snapshotRequests = new ConcurrentLinkedQueue<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile DimensionBootstrapStats.Source source = DimensionBootstrapStats.Source.PENDING;
    private volatile long snapshotRows;
    /** Records read from the topics; written by the loader thread only. */
    private volatile long topicRecords;

    private record SnapshotRequest(Path file, CompletableFuture<Long> written) {}

    DimensionLoader(CompiledPipeline pipeline, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
            DimensionTable[] tables, PipelineMetrics metrics, ConsumerLagGauges lag, Consumer<DimensionChange> changes, Consumer<RejectedRecord> rejects,
            InputDecoders inputs, Optional<Path> snapshot)
    {
        this.snapshot = requireNonNull(snapshot, "snapshot is null");
        this.snapshots = new DimensionSnapshots(pipeline, tables);
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.consumer = requireNonNull(consumer, "consumer is null");
        requireNonNull(tables, "tables is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.lag = requireNonNull(lag, "lag is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.rejects = requireNonNull(rejects, "rejects is null");
        for (SourcePlan source : pipeline.plan().sources()) {
            if (pipeline.roleOf(source) == SourceRole.DIMENSION) {
                sourcesByTopic.computeIfAbsent(source.topic(), topic -> new ArrayList<>()).add(source);
                updaters.put(source.index(), new DimensionUpdater(source, tables[source.index()], InputLimits.DEFAULTS, inputs));
            }
        }
    }

    boolean hasDimensions()
    {
        return !sourcesByTopic.isEmpty();
    }

    /** Waits until caught up; false on timeout. Throws if loading failed. */
    boolean awaitReady(Duration timeout)
            throws InterruptedException
    {
        boolean caughtUp = ready.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        if (failure != null) {
            throw new IllegalStateException("loading dimensions of " + pipeline.name() + " failed", failure);
        }
        return caughtUp;
    }

    boolean isReady()
    {
        return ready.getCount() == 0 && failure == null;
    }

    void stop()
    {
        running = false;
        consumer.wakeup();
    }

    DimensionBootstrapStats stats()
    {
        return new DimensionBootstrapStats(source, snapshotRows, topicRecords);
    }

    /**
     * Has the loader thread write a snapshot of every table with the offsets it reflects to {@code file},
     * between two polls, and waits for it.
     *
     * @return the number of rows written
     * @throws IllegalStateException when the dimensions are not ready or the loader stopped
     */
    long writeSnapshot(Path file)
            throws InterruptedException
    {
        if (!isReady()) {
            throw new IllegalStateException("dimensions of pipeline " + pipeline.name() + " are not ready");
        }
        SnapshotRequest request = new SnapshotRequest(requireNonNull(file, "file is null"), new CompletableFuture<>());
        snapshotRequests.add(request);
        if (stopped) {
            failSnapshotRequests();
        }
        consumer.wakeup(); // the next poll returns at once: the request is served without waiting for records
        try {
            return request.written().get();
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException("could not write the dimension snapshot of " + pipeline.name() + " to " + file, io);
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void run()
    {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            // Caught up = every partition read up to the end offset seen now. Partitions already read to
            // their end (empty ones, or a snapshot's offset at the end) are caught up from the start.
            Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, Long> starts = seekToStart(partitions, consumer.beginningOffsets(partitions), remaining);
            lag.track(partitions);
            remaining.entrySet().removeIf(end -> end.getValue() <= starts.getOrDefault(end.getKey(), 0L));
            checkCaughtUp(remaining);
            while (running) {
                try {
                    pollOnce(remaining);
                }
                catch (WakeupException e) {
                    if (!running) {
                        throw e;
                    }
                    // woken to serve a snapshot request
                }
                serveSnapshotRequests();
            }
        }
        catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        }
        catch (RuntimeException e) {
            failure = e;
            log.error("Dimension loader of pipeline {} failed", pipeline.name(), e);
        }
        finally {
            stopped = true;
            ready.countDown();
            failSnapshotRequests();
            consumer.close();
        }
    }

    private void pollOnce(Map<TopicPartition, Long> remaining)
    {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            apply(record);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Long end = remaining.get(partition);
            if (end != null && record.offset() + 1 >= end) {
                remaining.remove(partition);
            }
        }
        topicRecords += records.count();
        lag.sample(consumer);
        if (ready.getCount() > 0) {
            // after a poll the position also accounts for transaction markers past the last record
            remaining.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            checkCaughtUp(remaining);
        }
    }

    /**
     * Loads the peer snapshot if there is one that fits and seeks every partition to where reading
     * starts: the snapshot's offset, or the beginning.
     *
     * @return the start offset of every partition
     */
    private Map<TopicPartition, Long> seekToStart(List<TopicPartition> partitions, Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends)
    {
        Map<TopicPartition, Long> fromSnapshot = snapshot.map(file -> loadSnapshot(file, beginnings, ends)).orElse(Map.of());
        Map<TopicPartition, Long> starts = new HashMap<>();
        List<TopicPartition> fromBeginning = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long offset = fromSnapshot.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
                starts.put(partition, offset);
            }
            else {
                fromBeginning.add(partition);
                starts.put(partition, beginnings.getOrDefault(partition, 0L));
            }
        }
        if (!fromBeginning.isEmpty()) {
            consumer.seekToBeginning(fromBeginning); // an empty list would mean every assigned partition
        }
        if (source == DimensionBootstrapStats.Source.PENDING) {
            source = DimensionBootstrapStats.Source.TOPIC;
        }
        return starts;
    }

    /** The snapshot's offsets once its rows are loaded; empty (tables untouched) when it cannot be used. */
    private Map<TopicPartition, Long> loadSnapshot(Path file, Map<TopicPartition, Long> beginnings, Map<TopicPartition, Long> ends)
    {
        long start = System.nanoTime();
        try {
            DimensionSnapshots.Loaded loaded = snapshots.load(file, beginnings, ends);
            snapshotRows = loaded.rows();
            source = DimensionBootstrapStats.Source.SNAPSHOT;
            log.info("Dimensions of pipeline {}: loaded {} rows from the peer snapshot {} in {} ms; reading the topic tail from its offsets",
                    pipeline.name(), loaded.rows(), file, (System.nanoTime() - start) / 1_000_000);
            return loaded.offsets();
        }
        catch (IOException | RuntimeException e) {
            log.warn("Dimensions of pipeline {}: ignoring the peer snapshot {} ({}); reading the topics from the beginning", pipeline.name(), file,
                    e.toString());
            return Map.of();
        }
    }

    /** Writes the requested snapshots; a request interrupted by a wakeup stays queued for the next round. */
    private void serveSnapshotRequests()
    {
        SnapshotRequest request;
        while ((request = snapshotRequests.peek()) != null) {
            try {
                Map<TopicPartition, Long> positions = new HashMap<>();
                for (TopicPartition partition : consumer.assignment()) {
                    positions.put(partition, consumer.position(partition));
                }
                long start = System.nanoTime();
                long rows = snapshots.write(request.file(), positions);
                log.info("Dimensions of pipeline {}: wrote a snapshot of {} rows to {} in {} ms", pipeline.name(), rows, request.file(),
                        (System.nanoTime() - start) / 1_000_000);
                snapshotRequests.poll();
                request.written().complete(rows);
            }
            catch (WakeupException e) {
                if (!running) {
                    throw e;
                }
                return;
            }
            catch (IOException | RuntimeException e) {
                snapshotRequests.poll();
                request.written().completeExceptionally(e);
            }
        }
    }

    private void failSnapshotRequests()
    {
        SnapshotRequest request;
        while ((request = snapshotRequests.poll()) != null) {
            request.written().completeExceptionally(new IllegalStateException("the dimension loader of pipeline " + pipeline.name() + " stopped"));
        }
    }

    private List<TopicPartition> partitions()
    {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : sourcesByTopic.keySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("dimension topic '" + topic + "' of pipeline " + pipeline.name() + " does not exist");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    private void checkCaughtUp(Map<TopicPartition, Long> remaining)
    {
        if (remaining.isEmpty()) {
            if (source == DimensionBootstrapStats.Source.SNAPSHOT) {
                log.info("Dimensions of pipeline {} ready from peer snapshot: {} rows, then {} tail records from {}", pipeline.name(), snapshotRows,
                        topicRecords, sourcesByTopic.keySet());
            }
            else {
                log.info("Dimensions of pipeline {} ready from the topic: {} records loaded from {}", pipeline.name(), topicRecords, sourcesByTopic.keySet());
            }
            ready.countDown();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record)
    {
        InputRecord input = new InputRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.timestamp());
        for (SourcePlan source : sourcesByTopic.get(record.topic())) {
            metrics.recordIn(source.index());
            String joinValue = applyWaitingForRegistry(updaters.get(source.index()), input);
            if (joinValue != null) {
                changes.accept(new DimensionChange(source.index(), joinValue));
            }
        }
    }

    /**
     * An Avro record whose writer schema the registry cannot serve right now is not a bad record: the
     * loader waits for the registry (retrying with backoff) instead of dead-lettering it.
     */
    private String applyWaitingForRegistry(DimensionUpdater updater, InputRecord input)
    {
        long backoffMillis = 1_000;
        while (true) {
            try {
                return updater.apply(input, this::reject);
            }
            catch (SchemaRegistryException e) {
                if (!e.isUnavailable() || !running) {
                    throw e;
                }
                log.warn("Dimensions of pipeline {} wait for the schema registry ({}); retrying in {} s", pipeline.name(), e.getMessage(),
                        backoffMillis / 1000);
                try {
                    Thread.sleep(backoffMillis);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(30_000, backoffMillis * 2);
            }
        }
    }

    private void reject(InputRecord input, RejectReason reason, String detail)
    {
        metrics.rejected(reason);
        log.warn("Dead-lettered dimension record {} of pipeline {}: {} ({})", input, pipeline.name(), reason.label(), detail);
        rejects.accept(new RejectedRecord(input, reason, detail));
    }

    /** A dimension record that could not be applied. */
    record RejectedRecord(InputRecord input, RejectReason reason, String detail) {}
}
