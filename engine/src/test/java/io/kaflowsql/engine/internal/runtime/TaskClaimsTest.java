package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskClaimsTest
{
    @Test
    void refusesToWarmATaskThatIsOpenHere()
    {
        TaskClaims claims = new TaskClaims();
        assertThat(claims.tryClaim(1)).isTrue();

        assertThatThrownBy(() -> claims.whileUnclaimed(1, () -> {}, () -> "warmed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("owned by this node");
    }

    @Test
    void warmsOnceTheTaskWasReleased()
            throws Exception
    {
        TaskClaims claims = new TaskClaims();
        claims.tryClaim(1);
        claims.release(1);

        assertThat(claims.whileUnclaimed(1, () -> {}, () -> "warmed")).isEqualTo("warmed");
        assertThat(claims.isClaimed(1)).isFalse();
    }

    @Test
    void claimFailsWhileAWarmUpRunsAndSucceedsAfterIt()
            throws Exception
    {
        TaskClaims claims = new TaskClaims();
        CountDownLatch warming = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Long> warm = executor.submit(() -> claims.whileUnclaimed(2, () -> {}, () -> {
                warming.countDown();
                finish.await();
                return 42L;
            }));
            assertThat(warming.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(claims.tryClaim(2)).as("claim during the warm-up").isFalse();
            assertThat(claims.tryClaim(3)).as("other partitions are independent").isTrue();

            finish.countDown();
            assertThat(warm.get(30, TimeUnit.SECONDS)).isEqualTo(42L);
            assertThat(claims.tryClaim(2)).isTrue();
            assertThat(claims.isClaimed(2)).isTrue();
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aClaimDuringAWarmUpAsksItToGiveWay()
            throws Exception
    {
        TaskClaims claims = new TaskClaims();
        CountDownLatch warming = new CountDownLatch(1);
        CountDownLatch giveWay = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> warm = executor.submit(() -> claims.whileUnclaimed(2, giveWay::countDown, () -> {
                warming.countDown();
                return giveWay.await(30, TimeUnit.SECONDS) ? "gave way" : "ran to the end";
            }));
            assertThat(warming.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(claims.tryClaim(2)).as("claim during the warm-up").isFalse();
            assertThat(warm.get(30, TimeUnit.SECONDS)).isEqualTo("gave way");
            assertThat(claims.tryClaim(2)).as("claim once the warm-up stopped").isTrue();
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aClaimOfAnotherPartitionLeavesTheWarmUpAlone()
            throws Exception
    {
        TaskClaims claims = new TaskClaims();
        CountDownLatch warming = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<String> warm = executor.submit(() -> claims.whileUnclaimed(2, () -> { throw new AssertionError("asked to give way"); }, () -> {
                warming.countDown();
                finish.await();
                return "warmed";
            }));
            assertThat(warming.await(30, TimeUnit.SECONDS)).isTrue();

            assertThat(claims.tryClaim(3)).isTrue();
            finish.countDown();
            assertThat(warm.get(30, TimeUnit.SECONDS)).isEqualTo("warmed");
        }
        finally {
            executor.shutdownNow();
        }
    }
}
