package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Input offsets committed through the consumer group (at-least-once; exactly-once commits them in the tasks'
 * transactions). Most commits are asynchronous (see {@link CommitPoints}); a failed one is not retried on its own but
 * folded into the next commit, for the partitions still assigned and not committed further meanwhile, so that a
 * partition without new input does not keep an old committed offset (which would only mean more input read again
 * after a crash: at-least-once allows it, but it is needless).
 *
 * <p>Confined to the stream thread, which owns the consumer (commit callbacks run inside its calls).
 */
final class ConsumerOffsetCommits
{
    private static final Logger log = LoggerFactory.getLogger(ConsumerOffsetCommits.class);

    private final Consumer<?, ?> consumer;
    private final String pipeline;
    /** Offsets of failed asynchronous commits, to add to the next commit. */
    private final Map<TopicPartition, OffsetAndMetadata> failed = new HashMap<>();

    ConsumerOffsetCommits(Consumer<?, ?> consumer, String pipeline)
    {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
    }

    /** Commits {@code offsets} (with the offsets of earlier failed commits) without waiting. */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        Map<TopicPartition, OffsetAndMetadata> all = withFailed(offsets);
        if (all.isEmpty()) {
            return;
        }
        consumer.commitAsync(all, (committed, error) -> {
            if (error == null) {
                committed.forEach((partition, offset) -> failed.computeIfPresent(partition, (key, old) -> old.offset() <= offset.offset() ? null : old));
                return;
            }
            log.warn("Pipeline {}: committing input offsets failed ({}); they go with the next commit", pipeline, error.toString());
            committed.forEach((partition, offset) -> failed.merge(partition, offset, (old, now) -> old.offset() >= now.offset() ? old : now));
        });
    }

    /** Commits {@code offsets} (with the offsets of earlier failed commits) and waits. */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        Map<TopicPartition, OffsetAndMetadata> all = withFailed(offsets);
        if (all.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(all);
        }
        catch (WakeupException e) {
            consumer.commitSync(all); // stop() woke the consumer while it was not polling
        }
    }

    /** {@code offsets} plus the failed ones of partitions still assigned that {@code offsets} does not move. */
    private Map<TopicPartition, OffsetAndMetadata> withFailed(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        if (failed.isEmpty()) {
            return offsets;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
        failed.forEach((partition, offset) -> {
            if (assigned.contains(partition)) {
                all.put(partition, offset);
            }
        });
        failed.clear();
        all.putAll(offsets);
        return all;
    }
}
