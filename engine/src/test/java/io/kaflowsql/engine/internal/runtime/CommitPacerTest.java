package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CommitPacerTest
{
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @Test
    void aQuickCommitLeavesTheIntervalInCharge()
    {
        CommitPacer pacer = new CommitPacer(INTERVAL, 0);
        assertThat(pacer.due(99)).isFalse();
        assertThat(pacer.due(100)).isTrue();

        pacer.committed(100, 105);
        assertThat(pacer.due(204)).isFalse();
        assertThat(pacer.due(205)).as("the interval counts from the end of the commit").isTrue();
    }

    @Test
    void aCommitSlowerThanTheIntervalIsFollowedByAsMuchProcessingTime()
    {
        CommitPacer pacer = new CommitPacer(INTERVAL, 0);
        pacer.committed(100, 1_100);

        assertThat(pacer.due(1_200)).as("only the interval passed since a commit of 1 s").isFalse();
        assertThat(pacer.due(2_099)).isFalse();
        assertThat(pacer.due(2_100)).isTrue();
    }

    @Test
    void aCommitThatWaitedForKafkaDelaysTheNextOneByAtMostTheCap()
    {
        CommitPacer pacer = new CommitPacer(INTERVAL, 0);
        pacer.committed(100, 16_100); // the broker was away for 16 s

        assertThat(pacer.due(16_100 + CommitPacer.MAX_PACING_MILLIS - 1)).isFalse();
        assertThat(pacer.due(16_100 + CommitPacer.MAX_PACING_MILLIS))
                .as("not another 16 s with every result of the node held in open transactions").isTrue();
    }

    @Test
    void aRestartForgetsASlowCommit()
    {
        CommitPacer pacer = new CommitPacer(INTERVAL, 0);
        pacer.committed(0, 5_000);
        pacer.restart(5_000);

        assertThat(pacer.due(5_100)).isTrue();
    }
}
