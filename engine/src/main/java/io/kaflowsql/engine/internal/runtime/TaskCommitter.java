package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.state.StateStoreException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The commit half of the stream thread: when its open tasks commit, how, and their checkpoints after a commit.
 *
 * <p>Every commit interval (paced by {@link CommitPacer}) each open task commits. Exactly-once: one transaction per
 * task with its results, changelog records, dead letters and input offsets; the tasks' producers commit in parallel
 * ({@link TaskWorkers}) while the stream thread waits. At-least-once: each task marks a commit point, and its offsets
 * are committed through the consumer once the broker acknowledged every record sent before it, without the thread
 * waiting ({@link CommitPoints}, {@link #commitAcknowledged}). When a task's checkpoint interval passed, every task
 * commits and waits instead, so each store reflects exactly the committed changelog when the due tasks checkpoint.
 *
 * <p>A task whose commit fails goes to the stream thread's recovery (fenced: it stops here; otherwise it is rebuilt
 * from its committed offsets). Confined to the stream thread, which owns the consumer.
 */
final class TaskCommitter
{
    private static final Logger log = LoggerFactory.getLogger(TaskCommitter.class);

    /** What the stream thread does with a task whose commit failed. */
    interface Recovery
    {
        void recover(StreamTask task, RuntimeException failure);
    }

    private final Consumer<byte[], byte[]> consumer;
    private final boolean transactional;
    private final Supplier<List<StreamTask>> openTasks;
    private final Recovery recovery;
    private final TaskWorkers workers;
    private final Clock clock;
    private final CommitPacer pacer;
    private final ConsumerOffsetCommits offsetCommits;

    TaskCommitter(Consumer<byte[], byte[]> consumer, String pipeline, boolean transactional, RuntimeSettings settings, TaskWorkers workers,
            Supplier<List<StreamTask>> openTasks, Recovery recovery)
    {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.transactional = transactional;
        this.workers = requireNonNull(workers, "workers is null");
        this.openTasks = requireNonNull(openTasks, "openTasks is null");
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.clock = settings.clock();
        this.pacer = new CommitPacer(settings.commitInterval(), clock.millis());
        this.offsetCommits = new ConsumerOffsetCommits(consumer, pipeline);
    }

    /** Counts the commit interval afresh from now, as after a commit that took no time. */
    void restartInterval()
    {
        pacer.restart(clock.millis());
    }

    boolean due()
    {
        return pacer.due(clock.millis());
    }

    /** Commits every open task if the interval passed, then writes the checkpoints that are due. */
    void commitIfDue()
    {
        if (!due()) {
            return;
        }
        long start = clock.millis();
        if (!transactional && openTasks.get().stream().noneMatch(StreamTask::checkpointDue)) {
            markCommitPoints();
            pacer.committed(start, clock.millis());
            return;
        }
        commitAll();
        pacer.committed(start, clock.millis());
        checkpointAll(false); // not part of the commit's duration: checkpoints are rare and paced by their own interval
    }

    /** Commits every open task now, waiting for the broker, and counts the next commit interval from its end. */
    void commitAllPaced()
    {
        long start = clock.millis();
        commitAll();
        pacer.committed(start, clock.millis());
    }

    /**
     * Commits every open task and waits: each sends its buffered state changes here, then the tasks' producers commit
     * (or, at least once, wait for their acknowledgements) in parallel, and the input offsets of at-least-once go through
     * the consumer.
     */
    void commitAll()
    {
        List<StreamTask.PreparedCommit> commits = new ArrayList<>();
        for (StreamTask task : openTasks.get()) {
            try {
                commits.add(task.prepareCommit(consumer.groupMetadata(), transactional));
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recovery.recover(task, e);
            }
        }
        Map<Integer, Throwable> failures = workers.runAll(commits, commit -> commit.task().partition(), StreamTask.PreparedCommit::send);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (StreamTask.PreparedCommit commit : commits) {
            Throwable failure = failures.get(commit.task().partition());
            if (failure == null) {
                offsets.putAll(commit.complete());
            }
            else if (failure instanceof TaskFencedException || failure instanceof TaskCorruptedException || failure instanceof StateStoreException) {
                recovery.recover(commit.task(), (RuntimeException) failure);
            }
            else if (failure instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            else {
                throw new IllegalStateException("commit of task " + commit.task().name() + " failed", failure);
            }
        }
        offsetCommits.commitSync(offsets);
    }

    /**
     * Commits one task that is being handed over, and waits. Throws what the commit threw: the caller closes the task
     * uncleanly and its next owner redoes the uncommitted work.
     */
    void commitForRelease(StreamTask task)
    {
        offsetCommits.commitSync(task.commit(consumer.groupMetadata(), transactional));
    }

    /** At-least-once: commits, without waiting, the offsets of the commit points whose records the broker acknowledged. */
    void commitAcknowledged()
    {
        if (transactional) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (StreamTask task : openTasks.get()) {
            try {
                offsets.putAll(task.acknowledgedCommits());
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recovery.recover(task, e);
            }
        }
        offsetCommits.commitAsync(offsets);
    }

    /**
     * Every open task writes a checkpoint if its interval passed (or {@code force}) and it committed since its last one,
     * the tasks in parallel while the stream thread waits: each is a memtable flush, hard links and fsyncs (measured
     * under the Streams benchmark: 50 ms per task, 95 ms at most), and one after another they stalled every result of the
     * node for 200 ms with four tasks, once per checkpoint interval.
     */
    void checkpointAll(boolean force)
    {
        List<StreamTask> due = openTasks.get().stream().filter(task -> force || task.checkpointDue()).toList();
        if (due.isEmpty()) {
            return;
        }
        workers.runAll(due, StreamTask::partition, task -> checkpoint(task, force));
    }

    /** Writes {@code task}'s checkpoint if due (or {@code force}); a failure is logged, not thrown. */
    static void checkpoint(StreamTask task, boolean force)
    {
        try {
            task.checkpointIfDue(force);
        }
        catch (RuntimeException e) {
            // the previous checkpoint stays valid; restore just replays a longer changelog tail
            log.warn("Task {} could not write a checkpoint: {}", task.name(), e.toString());
        }
    }

    /** At-least-once: every open task marks a commit point, committed by {@link #commitAcknowledged} without waiting here. */
    private void markCommitPoints()
    {
        for (StreamTask task : openTasks.get()) {
            try {
                task.markCommitPoint();
            }
            catch (TaskFencedException | TaskCorruptedException | StateStoreException e) {
                recovery.recover(task, e);
            }
        }
    }
}
