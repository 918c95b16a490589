package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * At-least-once commits that do not wait for the broker. The input offsets taken at a commit point may reach the
 * consumer group only once the broker acknowledged every record the task sent before that point (its results,
 * state changes and dead letters); otherwise a crash would skip input whose results were never written. Kafka
 * Streams flushes the producer at each commit for this, which parks the stream thread for a round trip every
 * commit interval, and every record that arrives meanwhile waits too (the tail of the latency). Here each send is
 * counted against the point that follows it, and a point is released once its count and the counts of all earlier
 * points reached zero: the offsets go out while the thread keeps processing.
 *
 * <p>Points are made, counted and released on the stream thread; acknowledgements arrive on the producer's I/O
 * thread. A failed send must be recorded where the releaser sees it <em>before</em> its point is acknowledged
 * (see {@link TaskProducer}), so that a point released after a failure is never committed.
 */
final class CommitPoints
{
    private final ArrayDeque<Point> marked = new ArrayDeque<>();
    private Point open = new Point();

    /** Counts a send against the next commit point; its callback must {@link Point#acknowledge} the returned point, whatever the outcome. */
    Point track()
    {
        open.outstanding.incrementAndGet();
        return open;
    }

    /** Makes a commit point: {@code offsets} (input consumed so far) may be committed once every send tracked before is acknowledged. */
    void mark(Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        open.offsets = requireNonNull(offsets, "offsets is null");
        marked.addLast(open);
        open = new Point();
    }

    /**
     * Removes the points whose sends, and all earlier points' sends, were acknowledged, and returns their offsets merged
     * (a later point's offset of a partition replaces an earlier one's); empty when none is released.
     */
    Map<TopicPartition, OffsetAndMetadata> release()
    {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of();
        while (!marked.isEmpty() && marked.peekFirst().outstanding.get() == 0) {
            Point point = marked.pollFirst();
            if (offsets.isEmpty()) {
                offsets = new HashMap<>();
            }
            offsets.putAll(point.offsets);
        }
        return offsets;
    }

    /** Commit points made and not released yet. */
    int waiting()
    {
        return marked.size();
    }

    /** Sends counted toward one commit point. */
    static final class Point
    {
        private final AtomicInteger outstanding = new AtomicInteger();
        private Map<TopicPartition, OffsetAndMetadata> offsets = Map.of();

        void acknowledge()
        {
            outstanding.decrementAndGet();
        }
    }
}
