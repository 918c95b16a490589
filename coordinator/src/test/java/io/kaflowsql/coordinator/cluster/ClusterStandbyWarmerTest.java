package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.coordinator.assignment.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kaflowsql.coordinator.cluster.ClusterTestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

class ClusterStandbyWarmerTest
{
    private static final TaskId T0 = new TaskId("orders", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ExecutorService coordinatorThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop()
    {
        workers.shutdownNow();
        coordinatorThread.shutdownNow();
    }

    @Test
    void warmsANewDutyAtOnceAgainAfterTheRefreshAndWhenTheOwnerMoves()
            throws Exception
    {
        FakeLocalTasks local = new FakeLocalTasks(Set.of(T0), Set.of("orders"));
        MutableClock clock = new MutableClock();
        StandbyWarmer warmer = new StandbyWarmer(local, clock, workers, coordinatorThread, Duration.ofSeconds(10), Duration.ofSeconds(2));

        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        await("first warm", WAIT, () -> local.warmCalls().size() == 1);
        awaitIdle(warmer);
        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        assertThat(local.warmCalls()).hasSize(1);

        clock.advance(Duration.ofSeconds(10));
        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        await("refresh", WAIT, () -> local.warmCalls().size() == 2);
        awaitIdle(warmer);

        onCoordinator(() -> warmer.update(Map.of(T0, "c:7001"), clock.millis()));
        await("warm from the new owner", WAIT, () -> local.warmCalls().size() == 3);
        assertThat(local.warmCalls().get(2)).isEqualTo(new FakeLocalTasks.WarmCall(T0, "c:7001"));
        assertThat(local.warmTasks()).containsKey(T0);
    }

    @Test
    void failedWarmIsRetriedAndOnlyOneRunsPerTask()
            throws Exception
    {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        FakeLocalTasks local = new FakeLocalTasks(Set.of(T0), Set.of("orders"))
        {
            @Override
            public long warm(TaskId task, String ownerAddress)
            {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(50);
                    if (attempts.incrementAndGet() == 1) {
                        throw new IllegalStateException("owner unreachable");
                    }
                    return super.warm(task, ownerAddress);
                }
                catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                finally {
                    running.decrementAndGet();
                }
            }
        };
        MutableClock clock = new MutableClock();
        StandbyWarmer warmer = new StandbyWarmer(local, clock, workers, coordinatorThread, Duration.ofSeconds(10), Duration.ofSeconds(2));

        for (int i = 0; i < 5; i++) {
            onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        }
        await("first attempt failed", WAIT, () -> attempts.get() == 1 && running.get() == 0);
        awaitIdle(warmer);
        clock.advance(Duration.ofSeconds(2));
        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        await("retry succeeded", WAIT, () -> local.warmTasks().containsKey(T0));

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void aDutyCountsAsWarmingUpUntilItsFirstWarmCompleted()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        FakeLocalTasks local = new FakeLocalTasks(Set.of(T0), Set.of("orders"))
        {
            @Override
            public long warm(TaskId task, String ownerAddress)
            {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("owner unreachable");
                }
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return super.warm(task, ownerAddress);
            }
        };
        MutableClock clock = new MutableClock();
        StandbyWarmer warmer = new StandbyWarmer(local, clock, workers, coordinatorThread, Duration.ofSeconds(10), Duration.ofSeconds(2));

        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        awaitIdle(warmer);
        assertThat(coordinatorThread.submit(warmer::warmingUp).get()).as("after a failed warm").containsExactly(T0);

        clock.advance(Duration.ofSeconds(2));
        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        await("retry running", WAIT, () -> attempts.get() == 2);
        assertThat(coordinatorThread.submit(warmer::warmingUp).get()).as("while the first warm runs").containsExactly(T0);

        release.countDown();
        awaitIdle(warmer);
        assertThat(coordinatorThread.submit(warmer::warmingUp).get()).as("once warmed").isEmpty();
        clock.advance(Duration.ofSeconds(10));
        onCoordinator(() -> warmer.update(Map.of(T0, "a:7001"), clock.millis()));
        assertThat(coordinatorThread.submit(warmer::warmingUp).get()).as("a refresh keeps it warm").isEmpty();
        awaitIdle(warmer);
    }

    private void onCoordinator(Runnable action)
            throws Exception
    {
        coordinatorThread.submit(action).get();
    }

    /** Waits until every warm finished and its completion ran on the coordinator thread. */
    private void awaitIdle(StandbyWarmer warmer)
            throws Exception
    {
        await("warmer idle", WAIT, () -> {
            try {
                return coordinatorThread.submit(warmer::idle).get();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final class MutableClock
            extends Clock
    {
        private volatile Instant now = Instant.ofEpochMilli(1_000_000);

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
