package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.codec.JsonOutputEncoder;
import io.kaflowsql.engine.internal.operator.EnrichmentTask;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.TaskStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static java.util.Objects.requireNonNull;

/**
 * The consume → process → produce loop of one pipeline on this node: owns the tasks (one per partition
 * of the driving stream), their stores, the consumer of the partitioned topics and the result producer.
 *
 * <p>At-least-once: results are flushed and acknowledged, then the task stores flushed, and only then
 * the input offsets committed (every {@code commitInterval}), so nothing acknowledged is lost on a crash;
 * a crash may repeat the results of the last interval.
 *
 * <p>Threading: {@link #run()} on its own thread owns everything mutable here; {@link #stop()} may be
 * called from any thread (it wakes the consumer). Dimension changes arrive through a concurrent queue.
 */
final class StreamThread
        implements Runnable
{
    private static final Logger log = LoggerFactory.getLogger(StreamThread.class);

    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaTaskOutput output;
    private final DimensionTable[] dimensions;
    private final PipelineMetrics metrics;
    private final Queue<DimensionChange> dimensionChanges;
    private final IntFunction<TaskStore> storeOpener;
    private final Map<String, int[]> sourcesByTopic = new HashMap<>();
    private final Map<Integer, EnrichmentTask> tasks = new TreeMap<>();
    private final List<TaskStore> stores = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    /** Event-table partitions still being caught up at start, with the end offset to reach. */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();
    private volatile boolean running = true;
    private volatile boolean processing;
    private long lastCommitMillis;

    StreamThread(CompiledPipeline pipeline, RuntimeSettings settings, ClientFactory clients, DimensionTable[] dimensions,
            PipelineMetrics metrics, Queue<DimensionChange> dimensionChanges, IntFunction<TaskStore> storeOpener)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.dimensions = requireNonNull(dimensions, "dimensions is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.dimensionChanges = requireNonNull(dimensionChanges, "dimensionChanges is null");
        this.storeOpener = requireNonNull(storeOpener, "storeOpener is null");
        String groupId = settings.consumerGroup() + "-" + pipeline.name();
        this.consumer = clients.streamConsumer(groupId, groupId + "-stream");
        this.producer = clients.outputProducer(groupId + "-producer");
        this.output = new KafkaTaskOutput(pipeline.name(), producer, metrics);
        Map<String, List<Integer>> indexes = new HashMap<>();
        for (SourcePlan source : pipeline.plan().sources()) {
            if (pipeline.partitionedTopics().contains(source.topic())) {
                indexes.computeIfAbsent(source.topic(), topic -> new ArrayList<>()).add(source.index());
            }
        }
        indexes.forEach((topic, list) -> sourcesByTopic.put(topic, list.stream().mapToInt(Integer::intValue).toArray()));
    }

    boolean isProcessing()
    {
        return processing;
    }

    void stop()
    {
        running = false;
        consumer.wakeup();
    }

    /** Opens one task per partition and assigns their topic partitions. */
    void assign(int partitionCount)
    {
        List<TopicPartition> assignment = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            TaskStore store = storeOpener.apply(partition);
            stores.add(store);
            tasks.put(partition, new EnrichmentTask(pipeline, store, dimensions, metrics, output, new JsonOutputEncoder(pipeline.plan())::encode));
            for (String topic : sourcesByTopic.keySet()) {
                assignment.add(new TopicPartition(topic, partition));
            }
        }
        consumer.assign(assignment);
        holdDrivingUntilEventTablesCaughtUp(assignment);
        log.info("Pipeline {} processing {} partitions of {}", pipeline.name(), partitionCount, sourcesByTopic.keySet());
    }

    /**
     * Event tables are read up to their current end before the driving stream of the same partition is
     * processed, so records that were already in the event tables at start are joined, not missed
     * because one topic happened to be fetched before the other.
     */
    private void holdDrivingUntilEventTablesCaughtUp(List<TopicPartition> assignment)
    {
        String driving = pipeline.driving().topic();
        List<TopicPartition> eventTables = assignment.stream().filter(partition -> !partition.topic().equals(driving)).toList();
        if (eventTables.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(eventTables);
        for (TopicPartition partition : eventTables) {
            OffsetAndMetadata committed = consumer.committed(java.util.Set.of(partition)).get(partition);
            long start = committed == null ? consumer.beginningOffsets(List.of(partition)).get(partition) : committed.offset();
            if (ends.get(partition) > start) {
                catchingUp.put(partition, ends.get(partition));
            }
        }
        consumer.pause(assignment.stream().filter(partition -> partition.topic().equals(driving)).toList());
        resumeCaughtUp();
    }

    private void resumeCaughtUp()
    {
        catchingUp.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
        String driving = pipeline.driving().topic();
        List<TopicPartition> ready = consumer.paused().stream()
                .filter(partition -> partition.topic().equals(driving))
                .filter(partition -> catchingUp.keySet().stream().noneMatch(table -> table.partition() == partition.partition()))
                .toList();
        if (!ready.isEmpty()) {
            consumer.resume(ready);
        }
    }

    @Override
    public void run()
    {
        lastCommitMillis = settings.clock().millis();
        processing = true;
        try {
            while (running) {
                applyDimensionChanges();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    process(record);
                }
                if (!catchingUp.isEmpty()) {
                    resumeCaughtUp();
                }
                if (settings.clock().millis() - lastCommitMillis >= settings.commitInterval().toMillis()) {
                    commit();
                }
            }
        }
        catch (WakeupException e) {
            if (running) {
                throw e;
            }
        }
        finally {
            processing = false;
            shutDown();
        }
    }

    private void process(ConsumerRecord<byte[], byte[]> record)
    {
        EnrichmentTask task = tasks.get(record.partition());
        InputRecord input = new InputRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.timestamp());
        for (int source : sourcesByTopic.get(record.topic())) {
            task.process(source, input);
        }
        pendingOffsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    }

    private void applyDimensionChanges()
    {
        DimensionChange change;
        while ((change = dimensionChanges.poll()) != null) {
            for (EnrichmentTask task : tasks.values()) {
                task.dimensionChanged(change.source(), change.joinValue());
            }
        }
    }

    /** Results acknowledged, then state durable, then offsets: the at-least-once order. */
    private void commit()
    {
        producer.flush();
        output.checkSends();
        tasks.values().forEach(EnrichmentTask::flush);
        if (!pendingOffsets.isEmpty()) {
            consumer.commitSync(pendingOffsets);
            pendingOffsets.clear();
        }
        lastCommitMillis = settings.clock().millis();
    }

    private void shutDown()
    {
        try {
            commit();
            log.info("Pipeline {} committed and stopped", pipeline.name());
        }
        catch (RuntimeException e) {
            log.warn("Pipeline {} could not commit on shutdown; the last interval will be reprocessed", pipeline.name(), e);
        }
        finally {
            stores.forEach(TaskStore::close);
            producer.close(Duration.ofSeconds(5));
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    static Path taskDir(Path stateDir, String pipeline, int partition)
    {
        return stateDir.resolve(pipeline).resolve("task-" + partition);
    }
}
