package io.kaflowsql.engine.internal.runtime;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPointsTest
{
    private static final TopicPartition CLICKS = new TopicPartition("clicks", 0);
    private static final TopicPartition HISTORY = new TopicPartition("history", 0);

    private final CommitPoints points = new CommitPoints();

    @Test
    void aPointIsReleasedOnlyOnceEverySendBeforeItWasAcknowledged()
    {
        CommitPoints.Point first = points.track();
        CommitPoints.Point second = points.track();
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(2)));

        assertThat(points.release()).isEmpty();
        second.acknowledge();
        assertThat(points.release()).as("the first send is still unacknowledged").isEmpty();
        first.acknowledge();
        assertThat(points.release()).containsExactly(Map.entry(CLICKS, new OffsetAndMetadata(2)));
        assertThat(points.waiting()).isZero();
        assertThat(points.release()).as("released once").isEmpty();
    }

    @Test
    void aLaterPointWaitsForEveryEarlierOneEvenWhenItsOwnSendsAreDone()
    {
        CommitPoints.Point early = points.track();
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(1)));
        CommitPoints.Point late = points.track();
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(5)));

        late.acknowledge();
        assertThat(points.release()).as("acknowledged out of order: the earlier point holds the later one back").isEmpty();
        assertThat(points.waiting()).isEqualTo(2);
        early.acknowledge();
        assertThat(points.release()).containsExactly(Map.entry(CLICKS, new OffsetAndMetadata(5)));
    }

    @Test
    void releasedPointsMergeTheirOffsetsTheLaterWinning()
    {
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(3), HISTORY, new OffsetAndMetadata(7)));
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(9)));
        CommitPoints.Point pending = points.track();
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(12)));

        assertThat(points.release()).containsOnly(Map.entry(CLICKS, new OffsetAndMetadata(9)), Map.entry(HISTORY, new OffsetAndMetadata(7)));
        assertThat(points.waiting()).isEqualTo(1);
        pending.acknowledge();
        assertThat(points.release()).containsExactly(Map.entry(CLICKS, new OffsetAndMetadata(12)));
    }

    @Test
    void sendsAfterTheLastPointHoldNothingBack()
    {
        CommitPoints.Point before = points.track();
        points.mark(Map.of(CLICKS, new OffsetAndMetadata(4)));
        points.track(); // counted toward the next point, not yet made
        before.acknowledge();

        assertThat(points.release()).containsExactly(Map.entry(CLICKS, new OffsetAndMetadata(4)));
    }
}
