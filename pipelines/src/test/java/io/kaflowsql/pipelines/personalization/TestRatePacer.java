package io.kaflowsql.pipelines.personalization;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRatePacer
{
    @Test
    void grantsExactlyRateTimesElapsedTime()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(1_000, clock);
        pacer.start();
        long permits = 0;
        while (clock.nanoTime() < Duration.ofSeconds(10).toNanos()) {
            permits += pacer.nextBatch(10_000);
        }
        permits += pacer.nextBatch(10_000);

        assertThat(permits).isEqualTo(10_000);
        assertThat(pacer.granted()).isEqualTo(10_000);
    }

    @Test
    void sleepsUntilTheNextPermitWhenNoneIsDue()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(10, clock);
        pacer.start();

        assertThat(pacer.nextBatch(100)).isZero();
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(100).toNanos());
        assertThat(pacer.nextBatch(100)).isEqualTo(1);
        assertThat(pacer.nextBatch(100)).isZero();
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(100).toNanos(), Duration.ofMillis(100).toNanos());
    }

    @Test
    void neverSleepsLessThanTheMinimumSoHighRatesComeInBatches()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(100_000, clock);
        pacer.start();

        assertThat(pacer.nextBatch(10_000)).isZero();
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(1).toNanos());
        assertThat(pacer.nextBatch(10_000)).isEqualTo(100);
    }

    @Test
    void capsSleepsSoSlowRatesStillCheckForStop()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(0.5, clock);
        pacer.start();

        for (int i = 0; i < 5; i++) {
            assertThat(pacer.nextBatch(10)).isZero();
        }
        assertThat(clock.sleeps()).allSatisfy(sleep -> assertThat(sleep).isEqualTo(Duration.ofMillis(100).toNanos()));
    }

    @Test
    void splitsDuePermitsIntoBatchesOfAtMostMaxBatch()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(1_000, clock);
        pacer.start();
        clock.advanceNanos(Duration.ofMillis(250).toNanos());

        assertThat(pacer.nextBatch(100)).isEqualTo(100);
        assertThat(pacer.nextBatch(100)).isEqualTo(100);
        assertThat(pacer.nextBatch(100)).isEqualTo(50);
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void forgivesBacklogBeyondTheLimitInsteadOfBursting()
            throws InterruptedException
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        RatePacer pacer = new RatePacer(1_000, clock, Duration.ofMillis(1), Duration.ofMillis(100), 50);
        pacer.start();
        clock.advanceNanos(Duration.ofSeconds(5).toNanos()); // a 5 s stall: 5,000 permits missed

        assertThat(pacer.nextBatch(10_000)).isEqualTo(50);
        assertThat(pacer.nextBatch(10_000)).isZero();
        clock.advanceNanos(Duration.ofMillis(10).toNanos());
        assertThat(pacer.nextBatch(10_000)).isBetween(10, 11);
    }

    @Test
    void rejectsNonPositiveRate()
    {
        FakeTrafficClock clock = new FakeTrafficClock(0);
        assertThatThrownBy(() -> new RatePacer(0, clock)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventsPerSecond");
        assertThatThrownBy(() -> new RatePacer(Double.NaN, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
