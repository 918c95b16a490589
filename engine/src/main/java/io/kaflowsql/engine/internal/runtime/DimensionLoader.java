package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Keeps this node's full copy of a pipeline's dimension tables: reads every partition of each
 * dimension topic from the beginning and then follows it. It is ready once it has caught up to the end
 * offsets seen at start; tasks wait for that before they process (ARCHITECTURE.md section 4).
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
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    DimensionLoader(CompiledPipeline pipeline, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
            DimensionTable[] tables, PipelineMetrics metrics, ConsumerLagGauges lag, Consumer<DimensionChange> changes, Consumer<RejectedRecord> rejects,
            InputDecoders inputs)
    {
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

    @Override
    public void run()
    {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            lag.track(partitions);
            // Caught up = every partition read up to the end offset seen now. Empty partitions (end offset
            // equal to the beginning) are caught up from the start.
            Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
            remaining.entrySet().removeIf(end -> end.getValue() <= beginnings.getOrDefault(end.getKey(), 0L));
            long loaded = 0;
            checkCaughtUp(remaining, loaded);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    apply(record);
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    Long end = remaining.get(partition);
                    if (end != null && record.offset() + 1 >= end) {
                        remaining.remove(partition);
                    }
                }
                loaded += records.count();
                lag.sample(consumer);
                if (ready.getCount() > 0) {
                    // after a poll the position also accounts for transaction markers past the last record
                    remaining.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                    checkCaughtUp(remaining, loaded);
                }
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
            ready.countDown();
            consumer.close();
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

    private void checkCaughtUp(Map<TopicPartition, Long> remaining, long loaded)
    {
        if (remaining.isEmpty()) {
            log.info("Dimensions of pipeline {} ready: {} records loaded from {}", pipeline.name(), loaded, sourcesByTopic.keySet());
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
