package io.kaflowsql.engine.internal.runtime;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TaskOwnershipTest
{
    @Test
    void ownsNothingBeforeTheFirstRequest()
    {
        TaskOwnership ownership = new TaskOwnership();

        TaskOwnership.Plan plan = ownership.plan(Set.of(), 4);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.version()).isZero();
        assertThat(ownership.owned()).isEmpty();
    }

    @Test
    void releasesWhatIsNoLongerWantedAndOpensWhatIsNew()
    {
        TaskOwnership ownership = new TaskOwnership();
        ownership.request(Set.of(0, 1));
        ownership.request(Set.of(3, 1, 2));

        TaskOwnership.Plan plan = ownership.plan(Set.of(0, 1), 4);

        assertThat(plan.version()).isEqualTo(2);
        assertThat(plan.release()).containsExactly(0);
        assertThat(plan.open()).containsExactly(2, 3);
    }

    @Test
    void ignoresPartitionsTheTopicDoesNotHave()
    {
        TaskOwnership ownership = new TaskOwnership();
        ownership.request(Set.of(-1, 0, 4, 7));

        assertThat(ownership.plan(Set.of(), 4).open()).containsExactly(0);
    }

    @Test
    void fencedPartitionStaysOutUntilTheNextRequestNamesIt()
    {
        TaskOwnership ownership = new TaskOwnership();
        ownership.request(Set.of(0, 1));
        ownership.fenced(0);

        assertThat(ownership.wants(0)).isFalse();
        assertThat(ownership.plan(Set.of(1), 2).isEmpty()).as("fenced task is not reopened").isTrue();

        ownership.request(Set.of(0, 1));

        assertThat(ownership.wants(0)).isTrue();
        assertThat(ownership.plan(Set.of(1), 2).open()).containsExactly(0);
    }

    @Test
    void publishedOwnershipIsAnImmutableSnapshot()
    {
        TaskOwnership ownership = new TaskOwnership();
        java.util.Set<Integer> open = new java.util.TreeSet<>(Set.of(2, 0));

        ownership.publish(open);
        open.add(5);

        assertThat(ownership.owned()).containsExactly(0, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ownership.owned().add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void preparesTasksHandedOverThatAreNeitherOpenNorWanted()
    {
        TaskOwnership ownership = new TaskOwnership();
        ownership.request(Set.of(0));
        ownership.prepare(Set.of(0, 1, 2, 9));

        TaskOwnership.Plan plan = ownership.plan(Set.of(2), 4);

        assertThat(plan.version()).isEqualTo(2);
        assertThat(plan.open()).containsExactly(0);
        assertThat(plan.prepare()).as("wanted ones open, open ones stay, unknown ones are ignored").containsExactly(1);
    }

    @Test
    void listenersHearOfEveryChangeOfTheOwnedOrPreparedSetsOnly()
    {
        TaskOwnership ownership = new TaskOwnership();
        AtomicInteger calls = new AtomicInteger();
        ownership.addListener(calls::incrementAndGet);

        ownership.publish(Set.of(0, 1));
        ownership.publish(Set.of(1, 0));
        ownership.publishPrepared(Set.of(2));
        ownership.publishPrepared(Set.of(2));
        ownership.publish(Set.of());

        assertThat(calls).hasValue(3);
        assertThat(ownership.owned()).isEmpty();
        assertThat(ownership.prepared()).containsExactly(2);
    }
}
