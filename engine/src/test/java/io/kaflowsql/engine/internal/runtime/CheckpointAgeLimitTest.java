package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointAgeLimitTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = Duration.ofHours(1).toMillis();

    @Test
    void untilTheTopicIsDescribedKafkasDefaultOfADayApplies()
    {
        CheckpointAgeLimit limit = new CheckpointAgeLimit();
        assertThat(limit.deleteRetention()).isEqualTo(Duration.ofDays(1));
        assertThat(limit.usable(NOW - 20 * HOUR, 10, 50, NOW)).isTrue();
        assertThat(limit.usable(NOW - 23 * HOUR, 10, 50, NOW)).as("older than a day minus a tenth").isFalse();
    }

    @Test
    void aCheckpointOlderThanTheTombstoneRetentionIsNotUsedWhenRecordsFollowedIt()
    {
        CheckpointAgeLimit limit = new CheckpointAgeLimit();
        limit.deleteRetention(Duration.ofHours(10));
        assertThat(limit.maxAge()).isEqualTo(Duration.ofHours(9));
        assertThat(limit.usable(NOW - 8 * HOUR, 10, 50, NOW)).isTrue();
        assertThat(limit.usable(NOW - 9 * HOUR, 10, 50, NOW)).isFalse();
        assertThat(limit.usable(NOW - 30 * HOUR, 10, 50, NOW)).isFalse();
    }

    @Test
    void anOldCheckpointNothingWasWrittenAfterIsStillUsable()
    {
        CheckpointAgeLimit limit = new CheckpointAgeLimit();
        limit.deleteRetention(Duration.ofHours(10));
        assertThat(limit.usable(NOW - 30 * HOUR, 50, 50, NOW)).isTrue();
    }

    @Test
    void aNegativeRetentionIsRefused()
    {
        assertThatThrownBy(() -> new CheckpointAgeLimit().deleteRetention(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
