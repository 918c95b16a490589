package io.kaflowsql.node.internal.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardSnapshotsTest
{
    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void buildsAViewOncePerMaxAgeHoweverOftenAsked()
    {
        AtomicInteger built = new AtomicInteger();
        DashboardSnapshots snapshots = new DashboardSnapshots(() -> view("g" + built.incrementAndGet()), nanos::get, Duration.ofSeconds(1));

        assertThat(snapshots.get().clusterName()).isEqualTo("g1");
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(snapshots.get().clusterName()).isEqualTo("g1");
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(snapshots.get().clusterName()).isEqualTo("g2");
        assertThat(built).hasValue(2);
    }

    @Test
    void servesThePreviousViewWhileAnotherRequestBuildsANewOne()
            throws Exception
    {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger built = new AtomicInteger();
        Supplier<DashboardView> slowSecondBuild = () -> {
            int generation = built.incrementAndGet();
            if (generation == 2) {
                building.countDown();
                await(release); // a peer that does not answer
            }
            return view("g" + generation);
        };
        DashboardSnapshots snapshots = new DashboardSnapshots(slowSecondBuild, nanos::get, Duration.ofSeconds(1));
        snapshots.get();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<DashboardView> slow = executor.submit(snapshots::get);
            assertThat(building.await(30, TimeUnit.SECONDS)).isTrue();

            DashboardView meanwhile = snapshots.get();
            release.countDown();

            assertThat(meanwhile.clusterName()).isEqualTo("g1");
            assertThat(slow.get(30, TimeUnit.SECONDS).clusterName()).isEqualTo("g2");
            assertThat(snapshots.get().clusterName()).isEqualTo("g2");
            assertThat(built).hasValue(2);
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch)
    {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static DashboardView view(String clusterName)
    {
        return new DashboardView(clusterName, "n1", false, "n1", 0, List.of(), new DashboardView.Assignment(0, "n1", List.of("n1"), List.of()), List.of());
    }
}
