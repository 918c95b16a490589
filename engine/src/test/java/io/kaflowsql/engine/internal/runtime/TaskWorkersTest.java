package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TaskWorkersTest
{
    @Test
    void stepsOfSeveralTasksWaitTogether()
    {
        CountDownLatch allStarted = new CountDownLatch(4);
        try (TaskWorkers workers = new TaskWorkers("test")) {
            // each step waits until all four have started: one after another, the first would wait for ever
            Map<Integer, Throwable> failures = workers.runAll(List.of(0, 1, 2, 3), partition -> partition, partition -> {
                allStarted.countDown();
                try {
                    if (!allStarted.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the steps ran one after another");
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });

            assertThat(failures).isEmpty();
        }
    }

    @Test
    void failuresComeBackByPartitionAndTheOtherStepsStillRun()
    {
        try (TaskWorkers workers = new TaskWorkers("test")) {
            List<Integer> ran = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Map<Integer, Throwable> failures = workers.runAll(List.of(3, 5, 7), partition -> partition, partition -> {
                ran.add(partition);
                if (partition == 5) {
                    throw new TaskCorruptedException("task-5", new IllegalStateException("broken"));
                }
            });

            assertThat(ran).containsExactlyInAnyOrder(3, 5, 7);
            assertThat(failures).containsOnlyKeys(5);
            assertThat(failures.get(5)).isInstanceOf(TaskCorruptedException.class);

            assertThat(workers.runAll(List.of(9), partition -> partition, partition -> {
                throw new IllegalStateException("alone, on the calling thread");
            })).containsOnlyKeys(9);
        }
    }
}
