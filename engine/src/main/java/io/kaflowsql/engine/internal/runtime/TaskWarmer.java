package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * Brings the local standby copy of a task up to date while another node owns the task: restores the
 * newest local checkpoint into {@code <taskDir>/warm/} (never the live store), replays the changelog to
 * its current end and writes a new checkpoint of that position. When this node later opens the task it
 * restores from that checkpoint and replays only the short tail written since — what makes a planned
 * move's hand-over fast.
 *
 * <p>The checkpoint carries no input offsets: a task always resumes its inputs from the offsets committed
 * in Kafka, never from a checkpoint.
 *
 * <p>Thread-safe: each warm-up uses its own restore consumer; a warm-up runs only while the task is not
 * open on this node and never beside another warm-up of the same task ({@link TaskClaims}). A warm-up gives
 * way when the stream thread wants to open or restore ahead the same task: it stops replaying and fails with a
 * {@link CancellationException}. {@link #stop()} wakes running warm-ups, which then fail.
 */
final class TaskWarmer
{
    private static final Logger log = LoggerFactory.getLogger(TaskWarmer.class);
    static final String WARM_DIR = "warm";

    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final ClientFactory clients;
    private final TaskClaims claims;
    private final CheckpointAgeLimit ageLimit;
    private final String changelogTopic;
    private final Set<KafkaConsumer<byte[], byte[]>> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    TaskWarmer(CompiledPipeline pipeline, RuntimeSettings settings, ClientFactory clients, TaskClaims claims, CheckpointAgeLimit ageLimit)
    {
        this.ageLimit = requireNonNull(ageLimit, "ageLimit is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clients = requireNonNull(clients, "clients is null");
        this.claims = requireNonNull(claims, "claims is null");
        this.changelogTopic = TopicLayout.changelogTopic(settings.clusterName(), pipeline);
    }

    /**
     * Warms the task of {@code partition}; blocks until its new checkpoint is written.
     *
     * @return the changelog offset the task's newest checkpoint reflects
     * @throws IllegalStateException when the task is open on this node, or the pipeline closes meanwhile
     */
    long warm(int partition)
            throws InterruptedException
    {
        String task = pipeline.name() + "-" + partition;
        KafkaConsumer<byte[], byte[]> consumer = clients.restoreConsumer(settings.consumerGroup() + "-" + pipeline.name() + "-warm-" + partition);
        AtomicBoolean gaveWay = new AtomicBoolean();
        running.add(consumer);
        try {
            return claims.whileUnclaimed(partition, () -> {
                if (gaveWay.compareAndSet(false, true)) {
                    consumer.wakeup();
                }
            }, () -> warmUnclaimed(task, partition, consumer));
        }
        catch (WakeupException e) {
            if (gaveWay.get()) {
                CancellationException cancelled = new CancellationException("the warm-up of task " + task + " gave way: the task opens on this node");
                cancelled.initCause(e);
                throw cancelled;
            }
            throw new IllegalStateException("pipeline " + pipeline.name() + " closed during the warm-up of task " + task, e);
        }
        finally {
            running.remove(consumer);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    void stop()
    {
        stopped = true;
        running.forEach(KafkaConsumer::wakeup);
    }

    private long warmUnclaimed(String task, int partition, KafkaConsumer<byte[], byte[]> consumer)
            throws InterruptedException
    {
        Path taskDir = StreamThread.taskDir(settings.stateDir(), pipeline.name(), partition);
        TaskCheckpoints checkpoints = new TaskCheckpoints(taskDir, settings.checkpoints().keep(), settings.formats()).withLiveDir(taskDir.resolve(WARM_DIR));
        try {
            if (stopped) {
                throw new IllegalStateException("pipeline " + pipeline.name() + " is closing; task " + task + " is not warmed up");
            }
            TopicPartition changelog = new TopicPartition(changelogTopic, partition);
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            List<TaskCheckpoints.Checkpoint> newest = checkpoints.newestFirst();
            if (!newest.isEmpty() && newest.get(0).changelogOffset() == end) {
                // nothing written since: restoring the checkpoint only to find that out costs seconds with large state
                log.debug("Task {} warm: its newest checkpoint already reflects the changelog's end {}", task, end);
                return end;
            }
            TaskRestorer.Restored restored = new TaskRestorer(consumer, RocksTaskStoreOptions.REBUILT_ON_RESTART, settings.clock(), ageLimit)
                    .restore(task, checkpoints, changelog);
            try {
                long position = restored.changelogPosition();
                List<TaskCheckpoints.Checkpoint> existing = checkpoints.newestFirst();
                if (!existing.isEmpty() && existing.get(0).changelogOffset() == position) {
                    log.info("Task {} warm: its newest checkpoint already reflects changelog offset {}", task, position);
                    return position;
                }
                TaskCheckpoints.Checkpoint written = checkpoints.write(restored.store(), position, Map.of(), settings.clock().millis());
                log.info("Task {} warmed up from {} + {} changelog records in {} ms: checkpoint {} at changelog offset {}",
                        task, restored.origin(), restored.records(), restored.millis(), written.sequence(), position);
                return position;
            }
            finally {
                restored.store().close();
                checkpoints.wipeLive();
            }
        }
        catch (InterruptException e) {
            Thread.interrupted();
            InterruptedException interrupted = new InterruptedException("interrupted while warming up task " + task);
            interrupted.initCause(e);
            throw interrupted;
        }
    }
}
