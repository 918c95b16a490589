package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a failed asynchronous offset commit is made good by the next commit. Kafka's {@link MockConsumer} stands in
 * for the group coordinator, failing the commits it is told to.
 */
class ConsumerOffsetCommitsTest
{
    private static final TopicPartition CLICKS = new TopicPartition("clicks", 0);
    private static final TopicPartition HISTORY = new TopicPartition("history", 0);

    private final FlakyConsumer consumer = new FlakyConsumer();
    private final ConsumerOffsetCommits commits = new ConsumerOffsetCommits(consumer, "p");

    @Test
    void aFailedCommitsOffsetsGoWithTheNextCommitUnlessItMovesThemFurther()
    {
        consumer.assign(List.of(CLICKS, HISTORY));
        consumer.failNext = 1;
        commits.commitAsync(Map.of(CLICKS, new OffsetAndMetadata(5), HISTORY, new OffsetAndMetadata(3)));
        assertThat(consumer.committed(Set.of(CLICKS, HISTORY))).isEmpty();

        commits.commitAsync(Map.of(CLICKS, new OffsetAndMetadata(9)));

        assertThat(consumer.attempts.get(1)).as("history had no new input, but its failed offset is committed now")
                .containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(9)), Map.entry(HISTORY, new OffsetAndMetadata(3)));
        assertThat(consumer.committed(Set.of(CLICKS, HISTORY)))
                .containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(9)), Map.entry(HISTORY, new OffsetAndMetadata(3)));
    }

    @Test
    void aFailedOffsetOfAPartitionNoLongerAssignedIsDropped()
    {
        consumer.assign(List.of(CLICKS, HISTORY));
        consumer.failNext = 1;
        commits.commitAsync(Map.of(CLICKS, new OffsetAndMetadata(5), HISTORY, new OffsetAndMetadata(3)));
        consumer.assign(List.of(CLICKS)); // history's task was handed over: its next owner commits it

        commits.commitSync(Map.of());

        assertThat(consumer.attempts.get(1)).containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(5)));
    }

    @Test
    void aLaterSuccessfulCommitSettlesAnEarlierFailure()
    {
        consumer.assign(List.of(CLICKS));
        consumer.failNext = 1;
        commits.commitAsync(Map.of(CLICKS, new OffsetAndMetadata(5)));
        commits.commitSync(Map.of(CLICKS, new OffsetAndMetadata(8)));
        commits.commitAsync(Map.of());

        assertThat(consumer.attempts).hasSize(2);
        assertThat(consumer.committed(Set.of(CLICKS))).containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(8)));
    }

    /** Fails the next {@code failNext} asynchronous commits, as a coordinator that moved or a broker that went away. */
    private static final class FlakyConsumer
            extends MockConsumer<byte[], byte[]>
    {
        private final List<Map<TopicPartition, OffsetAndMetadata>> attempts = new ArrayList<>();
        private int failNext;
        /** MockConsumer's commitSync goes through commitAsync: such a call is one attempt, not two. */
        private boolean inSync;

        FlakyConsumer()
        {
            super("earliest");
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback)
        {
            if (inSync) {
                super.commitAsync(offsets, callback);
                return;
            }
            attempts.add(Map.copyOf(offsets));
            if (failNext > 0) {
                failNext--;
                callback.onComplete(offsets, new RetriableCommitFailedException("the coordinator moved"));
                return;
            }
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets)
        {
            attempts.add(Map.copyOf(offsets));
            inSync = true;
            try {
                super.commitSync(offsets);
            }
            finally {
                inSync = false;
            }
        }
    }
}
