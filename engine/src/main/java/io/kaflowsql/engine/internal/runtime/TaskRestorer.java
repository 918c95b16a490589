package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.internal.state.ChangelogRecords;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.TaskCheckpoints;
import io.kaflowsql.engine.internal.state.TaskCheckpoints.Checkpoint;
import io.kaflowsql.protocol.SupportedVersions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rebuilds a task's store: the newest usable checkpoint, then the changelog records written after it
 * ({@code read_committed}, so an aborted transaction's changes are skipped). A checkpoint that cannot
 * be used (unreadable, fails to open, ahead of a changelog that was recreated, or older than the changelog
 * keeps tombstones: {@link CheckpointAgeLimit}) is logged and the next older one tried; with none, the whole
 * changelog is replayed into an empty store.
 *
 * <p>The live store is always rebuilt, never trusted as left: after a crash it may hold changes of a
 * transaction that never committed. Restoring from a checkpoint costs a few hard links plus the tail.
 *
 * <p>A changelog record of a format version this build does not read fails the restore
 * ({@link io.kaflowsql.protocol.UnsupportedFormatVersionException}, naming the versions) rather than being misread.
 *
 * <p>Not thread-safe: used by the stream thread, which owns the restore consumer.
 */
final class TaskRestorer
{
    private static final Logger log = LoggerFactory.getLogger(TaskRestorer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RocksTaskStoreOptions options;
    private final Clock clock;
    private final SupportedVersions supported;
    private final CheckpointAgeLimit ageLimit;

    /**
     * @param changelogPosition offset after the last changelog record the store reflects
     * @param origin where the state came from, for logs ("checkpoint 12", "empty store")
     */
    record Restored(RocksTaskStore store, long changelogPosition, long records, long bytes, long millis, String origin) {}

    TaskRestorer(KafkaConsumer<byte[], byte[]> consumer, RocksTaskStoreOptions options, Clock clock, CheckpointAgeLimit ageLimit)
    {
        this(consumer, options, clock, ageLimit, SupportedVersions.thisBuild());
    }

    TaskRestorer(KafkaConsumer<byte[], byte[]> consumer, RocksTaskStoreOptions options, Clock clock, CheckpointAgeLimit ageLimit, SupportedVersions supported)
    {
        this.supported = requireNonNull(supported, "supported is null");
        this.ageLimit = requireNonNull(ageLimit, "ageLimit is null");
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.options = requireNonNull(options, "options is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    Restored restore(String task, TaskCheckpoints checkpoints, TopicPartition changelog)
    {
        long start = clock.millis();
        consumer.assign(List.of(changelog));
        long beginning = consumer.beginningOffsets(List.of(changelog)).get(changelog);
        long end = consumer.endOffsets(List.of(changelog)).get(changelog);
        RocksTaskStore store = null;
        long from = beginning;
        String origin = "an empty store";
        for (Checkpoint checkpoint : checkpoints.newestFirst()) {
            if (checkpoint.changelogOffset() > end || checkpoint.changelogOffset() < beginning) {
                log.warn("Task {}: checkpoint {} reflects changelog offset {}, outside {} [{}, {}] (topic recreated?); not using it",
                        task, checkpoint.sequence(), checkpoint.changelogOffset(), changelog, beginning, end);
                continue;
            }
            if (!ageLimit.usable(checkpoint.createdAtMillis(), checkpoint.changelogOffset(), end, clock.millis())) {
                log.warn("Task {}: checkpoint {} was written {} s ago and records followed it, longer than {} keeps deletes (delete.retention.ms {} ms, "
                                + "{} s with margin): deletes since may have been compacted away; not using it",
                        task, checkpoint.sequence(), (clock.millis() - checkpoint.createdAtMillis()) / 1000, changelog.topic(),
                        ageLimit.deleteRetention().toMillis(), ageLimit.maxAge().toSeconds());
                continue;
            }
            try {
                checkpoints.materialize(checkpoint);
                store = RocksTaskStore.open(checkpoints.liveDir(), options);
                from = checkpoint.changelogOffset();
                origin = "checkpoint " + checkpoint.sequence() + " (" + checkpoint.bytes() + " bytes)";
                break;
            }
            catch (RuntimeException e) {
                log.warn("Task {}: checkpoint {} is unusable ({}); trying an older one", task, checkpoint.sequence(), e.toString());
            }
        }
        if (store == null) {
            if (!checkpoints.newestFirst().isEmpty() || end > beginning) {
                log.info("Task {}: no usable checkpoint, restoring the whole changelog {} ({} records at most)", task, changelog, end - beginning);
            }
            checkpoints.wipeLive();
            store = RocksTaskStore.open(checkpoints.liveDir(), options);
        }
        try {
            Replayed replayed = replay(task, store, changelog, from, end);
            store.flush();
            long millis = clock.millis() - start;
            log.info("Task {} restored from {} + {} changelog records ({} bytes) in {} ms", task, origin, replayed.records(), replayed.bytes(), millis);
            return new Restored(store, Math.max(end, from), replayed.records(), replayed.bytes(), millis, origin);
        }
        catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Brings a store restored earlier (by {@link #restore}, ahead of a hand-over) up to the changelog's end now:
     * the previous owner's last transactions. Called after the fence, so that end is final. Falls back to a
     * full {@link #restore} when the prepared position is outside the changelog (it was recreated meanwhile).
     */
    Restored catchUp(String task, Restored prepared, TaskCheckpoints checkpoints, TopicPartition changelog)
    {
        long start = clock.millis();
        consumer.assign(List.of(changelog));
        long beginning = consumer.beginningOffsets(List.of(changelog)).get(changelog);
        long end = consumer.endOffsets(List.of(changelog)).get(changelog);
        long from = prepared.changelogPosition();
        if (from > end || from < beginning) {
            log.warn("Task {}: its prepared state reflects changelog offset {}, outside {} [{}, {}]; restoring again", task, from, changelog, beginning,
                    end);
            prepared.store().close();
            return restore(task, checkpoints, changelog);
        }
        try {
            Replayed replayed = replay(task, prepared.store(), changelog, from, end);
            prepared.store().flush();
            long millis = clock.millis() - start;
            log.info("Task {} caught up from {} restored ahead + {} changelog records ({} bytes) in {} ms", task, prepared.origin(), replayed.records(),
                    replayed.bytes(), millis);
            return new Restored(prepared.store(), end, prepared.records() + replayed.records(), prepared.bytes() + replayed.bytes(),
                    prepared.millis() + millis, prepared.origin());
        }
        catch (RuntimeException e) {
            prepared.store().close();
            throw e;
        }
    }

    private record Replayed(long records, long bytes) {}

    private Replayed replay(String task, RocksTaskStore store, TopicPartition changelog, long from, long end)
    {
        long records = 0;
        long bytes = 0;
        if (from >= end) {
            return new Replayed(0, 0);
        }
        consumer.seek(changelog, from);
        long nextProgress = clock.millis() + PROGRESS_EVERY.toMillis();
        while (consumer.position(changelog) < end) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() >= end) {
                    break;
                }
                ChangelogRecords.checkVersion(record.headers(), supported, "at offset " + record.offset() + " of " + changelog);
                ChangelogRecords.restore(store, record.key(), record.value());
                records++;
                bytes += record.serializedKeySize() + Math.max(0, record.serializedValueSize());
            }
            if (clock.millis() >= nextProgress) {
                log.info("Task {} restoring: {} changelog records so far, at offset {} of {}", task, records, consumer.position(changelog), end);
                nextProgress = clock.millis() + PROGRESS_EVERY.toMillis();
            }
        }
        return new Replayed(records, bytes);
    }
}
