package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointRequestsTest
{
    @Test
    void requestWaitsUntilTheStreamThreadCheckpointed()
    {
        CheckpointRequests requests = new CheckpointRequests();
        CompletableFuture<Set<Integer>> first = requests.request();
        CompletableFuture<Set<Integer>> second = requests.request();

        assertThat(requests.hasPending()).isTrue();
        assertThat(first).isNotDone();

        requests.complete(Set.of(2, 0));

        assertThat(first).isCompletedWithValue(Set.of(0, 2));
        assertThat(second).isCompletedWithValue(Set.of(0, 2));
        assertThat(requests.hasPending()).isFalse();
    }

    @Test
    void requestAfterTheCheckpointWaitsForTheNextOne()
    {
        CheckpointRequests requests = new CheckpointRequests();
        requests.request();
        requests.complete(Set.of(1));

        CompletableFuture<Set<Integer>> later = requests.request();

        assertThat(later).isNotDone();
        requests.complete(Set.of(1, 3));
        assertThat(later).isCompletedWithValue(Set.of(1, 3));
    }

    @Test
    void stoppingCompletesPendingRequestsWithTheFinalCheckpointAndLaterOnesAtOnce()
    {
        CheckpointRequests requests = new CheckpointRequests();
        CompletableFuture<Set<Integer>> pending = requests.request();

        requests.close(Set.of(4));

        assertThat(pending).isCompletedWithValue(Set.of(4));
        assertThat(requests.request()).isCompletedWithValue(Set.of());
        assertThat(requests.hasPending()).isFalse();
    }
}
