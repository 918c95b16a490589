package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The one behaviour contract of {@link TaskStore}, run against every implementation. */
abstract class TaskStoreContractTest
{
    protected TaskStore store;

    /** A new, empty store. */
    protected abstract TaskStore createStore();

    /** Closes {@code store} and opens it again over the same data; null when the store cannot. */
    protected TaskStore reopen(TaskStore closing)
    {
        return null;
    }

    @BeforeEach
    void openStore()
    {
        store = createStore();
    }

    @AfterEach
    void closeStore()
    {
        store.close();
    }

    private static StoredRow row(long eventTime, long expiresAt, Object... values)
    {
        return new StoredRow(eventTime, expiresAt, values);
    }

    private static List<Long> ids(List<PendingRecord> records)
    {
        return records.stream().map(PendingRecord::id).toList();
    }

    @Test
    void returnsNullForMissingEvent()
    {
        assertThat(store.getEvent(1, "nobody")).isNull();
    }

    @Test
    void upsertsLatestByArrivalNotByTime()
    {
        store.putEvent(1, "u1", row(2_000, 12_000, "late", 1L));
        store.putEvent(1, "u1", row(1_000, 11_000, "earlier-time", 2L));

        StoredRow stored = store.getEvent(1, "u1");
        assertThat(stored.eventTime()).isEqualTo(1_000);
        assertThat(stored.expiresAt()).isEqualTo(11_000);
        assertThat(stored.values()).containsExactly("earlier-time", 2L);
    }

    @Test
    void keepsSourcesApart()
    {
        store.putEvent(1, "k", row(1, 100, "one"));
        store.putEvent(2, "k", row(1, 100, "two"));

        assertThat(store.getEvent(1, "k").values()).containsExactly("one");
        assertThat(store.getEvent(2, "k").values()).containsExactly("two");
        assertThat(store.getEvent(3, "k")).isNull();
    }

    @Test
    void deletesEventOnTombstone()
    {
        store.putEvent(1, "u1", row(1, 100, "a"));
        store.getEvent(1, "u1");
        store.deleteEvent(1, "u1");
        store.deleteEvent(1, "never-there");

        assertThat(store.getEvent(1, "u1")).isNull();
        store.putEvent(1, "u1", row(2, 200, "b"));
        assertThat(store.getEvent(1, "u1").values()).containsExactly("b");
    }

    @Test
    void storesNestedValuesAndUnicodeKeys()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", List.of(1L, "x"));
        nested.put("a", null);
        store.putEvent(1, "ключ-\uD83D\uDE00", row(1, 100, nested, null, Double.NaN, true));

        Object[] values = store.getEvent(1, "ключ-\uD83D\uDE00").values();
        assertThat(values[0]).isEqualTo(nested);
        assertThat(List.<Object>copyOf(((Map<?, ?>) values[0]).keySet())).containsExactly("z", "a");
        assertThat(values[1]).isNull();
        assertThat((Double) values[2]).isNaN();
        assertThat(values[3]).isEqualTo(true);
    }

    @Test
    void expiresRowsAtStreamTimeInclusive()
    {
        store.putEvent(1, "a", row(0, 1_000, "a"));
        store.putEvent(1, "b", row(0, 2_000, "b"));
        store.putEvent(2, "c", row(0, 3_000, "c"));

        assertThat(store.expire(999, pending -> {})).isZero();
        assertThat(store.getEvent(1, "a")).isNotNull();
        assertThat(store.expire(2_000, pending -> {})).isEqualTo(2);

        assertThat(store.getEvent(1, "a")).isNull();
        assertThat(store.getEvent(1, "b")).isNull();
        assertThat(store.getEvent(2, "c").values()).containsExactly("c");
    }

    @Test
    void upsertMovesExpiryLater()
    {
        store.putEvent(1, "a", row(0, 1_000, "old"));
        store.putEvent(1, "a", row(5_000, 6_000, "new"));

        assertThat(store.expire(1_000, pending -> {})).isZero();
        assertThat(store.getEvent(1, "a").values()).containsExactly("new");
        assertThat(store.expire(6_000, pending -> {})).isEqualTo(1);
        assertThat(store.getEvent(1, "a")).isNull();
    }

    @Test
    void upsertMovesExpiryEarlier()
    {
        store.putEvent(1, "a", row(5_000, 6_000, "first"));
        store.putEvent(1, "a", row(0, 1_000, "second"));

        assertThat(store.expire(1_000, pending -> {})).isEqualTo(1);
        assertThat(store.getEvent(1, "a")).isNull();
        store.putEvent(1, "a", row(0, 9_000, "third"));
        assertThat(store.expire(6_000, pending -> {})).isZero();
        assertThat(store.getEvent(1, "a").values()).containsExactly("third");
    }

    @Test
    void expiresLateArrivalAlreadyBehindStreamTime()
    {
        store.expire(10_000, pending -> {});
        store.putEvent(1, "late", row(0, 5_000, "late"));

        assertThat(store.expire(10_000, pending -> {})).isEqualTo(1);
        assertThat(store.getEvent(1, "late")).isNull();
    }

    @Test
    void deletedRowIsNotCountedAsExpired()
    {
        store.putEvent(1, "a", row(0, 1_000, "a"));
        store.deleteEvent(1, "a");

        assertThat(store.expire(1_000, pending -> {})).isZero();
    }

    @Test
    void expiresManyRowsAcrossRounds()
    {
        for (int i = 0; i < 25_000; i++) {
            store.putEvent(1, "k" + i, row(0, i, (long) i));
        }

        assertThat(store.expire(20_000, pending -> {})).isEqualTo(20_001);
        assertThat(store.getEvent(1, "k20000")).isNull();
        assertThat(store.getEvent(1, "k20001").values()).containsExactly(20_001L);
        assertThat(store.stats().events(1)).isEqualTo(25_000 - 20_001);
    }

    @Test
    void holdsPendingAndFindsItByEveryIndexKey()
    {
        long id = store.holdPending(row(10, 1_000, "click-1"), List.of(new LookupKey(1, "u1"), new LookupKey(2, "p9")));

        assertThat(store.pendingFor(1, "u1")).singleElement().satisfies(record -> {
            assertThat(record.id()).isEqualTo(id);
            assertThat(record.row().values()).containsExactly("click-1");
            assertThat(record.row().eventTime()).isEqualTo(10);
        });
        assertThat(ids(store.pendingFor(2, "p9"))).containsExactly(id);
        assertThat(store.pendingFor(1, "p9")).isEmpty();
        assertThat(store.pendingFor(1, "u")).isEmpty();
        assertThat(store.pendingFor(1, "u10")).isEmpty();
    }

    @Test
    void returnsPendingInIdOrderWithMonotonicIds()
    {
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(store.holdPending(row(i, 1_000, "c" + i), List.of(new LookupKey(1, "u1"))));
        }

        assertThat(held).isSorted().doesNotHaveDuplicates();
        assertThat(ids(store.pendingFor(1, "u1"))).containsExactlyElementsOf(held);
    }

    @Test
    void pagesThroughEveryHeldRecordWithItsIndexInIdOrder()
    {
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            held.add(store.holdPending(row(i, 1_000, "c" + i), List.of(new LookupKey(1, "u" + i), new LookupKey(2, "p1"))));
        }
        store.removePending(held.get(3));

        List<HeldRecord> first = store.heldFrom(0, 4);
        List<HeldRecord> rest = store.heldFrom(first.get(3).record().id() + 1, 4);

        assertThat(first).extracting(record -> record.record().id()).containsExactly(held.get(0), held.get(1), held.get(2), held.get(4));
        assertThat(rest).extracting(record -> record.record().id()).containsExactly(held.get(5), held.get(6));
        assertThat(first.get(0).record().row().values()).containsExactly("c0");
        assertThat(first.get(0).index()).containsExactly(new LookupKey(1, "u0"), new LookupKey(2, "p1"));
        assertThat(store.heldFrom(held.get(6) + 1, 4)).isEmpty();
    }

    @Test
    void reindexReplacesIndexEntries()
    {
        long id = store.holdPending(row(1, 1_000, "c"), List.of(new LookupKey(1, "u1"), new LookupKey(2, "p1")));

        store.reindexPending(id, List.of(new LookupKey(2, "p1"), new LookupKey(3, "s1")));

        assertThat(store.pendingFor(1, "u1")).isEmpty();
        assertThat(ids(store.pendingFor(2, "p1"))).containsExactly(id);
        assertThat(store.pendingFor(3, "s1")).singleElement()
                .satisfies(record -> assertThat(record.row().values()).containsExactly("c"));
        store.reindexPending(id + 1_000, List.of(new LookupKey(1, "ignored")));
        assertThat(store.pendingFor(1, "ignored")).isEmpty();
    }

    @Test
    void removePendingDropsRecordAndIndex()
    {
        long first = store.holdPending(row(1, 1_000, "a"), List.of(new LookupKey(1, "u1")));
        long second = store.holdPending(row(1, 1_000, "b"), List.of(new LookupKey(1, "u1")));

        store.removePending(first);
        store.removePending(first);

        assertThat(ids(store.pendingFor(1, "u1"))).containsExactly(second);
        assertThat(store.stats().pendingRecords()).isEqualTo(1);
        List<PendingRecord> expired = new ArrayList<>();
        store.expire(1_000, expired::add);
        assertThat(ids(expired)).containsExactly(second);
    }

    @Test
    void deliversExpiredPendingExactlyOnce()
    {
        long early = store.holdPending(row(1, 1_000, "early"), List.of(new LookupKey(1, "u1")));
        long late = store.holdPending(row(1, 5_000, "late"), List.of(new LookupKey(1, "u1")));
        store.putEvent(1, "x", row(0, 1_000, "x"));

        List<PendingRecord> expired = new ArrayList<>();
        assertThat(store.expire(1_000, expired::add)).isEqualTo(2);
        assertThat(store.expire(1_000, expired::add)).isZero();

        assertThat(ids(expired)).containsExactly(early);
        assertThat(expired.get(0).row().values()).containsExactly("early");
        assertThat(ids(store.pendingFor(1, "u1"))).containsExactly(late);
        assertThat(store.stats().pendingRecords()).isEqualTo(1);
    }

    @Test
    void keepsMetadata()
    {
        store.putMeta("stream-time", "12345".getBytes(UTF_8));
        store.putMeta("stream-time", "12346".getBytes(UTF_8));

        assertThat(new String(store.getMeta("stream-time"), UTF_8)).isEqualTo("12346");
        assertThat(store.getMeta("missing")).isNull();
    }

    @Test
    void countsEventsPerSourceAndPending()
    {
        store.putEvent(1, "a", row(0, 100, "a"));
        store.putEvent(1, "b", row(0, 100, "b"));
        store.putEvent(1, "b", row(0, 100, "b2"));
        store.putEvent(2, "a", row(0, 100, "a"));
        store.deleteEvent(1, "a");
        store.holdPending(row(0, 100, "p"), List.of(new LookupKey(1, "z")));

        StoreStats stats = store.stats();
        assertThat(stats.events(1)).isEqualTo(1);
        assertThat(stats.events(2)).isEqualTo(1);
        assertThat(stats.events(3)).isZero();
        assertThat(stats.totalEvents()).isEqualTo(2);
        assertThat(stats.pendingRecords()).isEqualTo(1);
    }

    @Test
    void rejectsUseAfterCloseAndClosesTwice()
    {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.getEvent(1, "a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pendingIdsStayMonotonicAcrossReopen()
    {
        long first = store.holdPending(row(1, 1_000, "a"), List.of(new LookupKey(1, "u1")));
        store.removePending(first);
        TaskStore reopened = reopen(store);
        assumeTrue(reopened != null, "store does not survive reopen");
        store = reopened;

        long second = store.holdPending(row(1, 1_000, "b"), List.of(new LookupKey(1, "u1")));

        assertThat(second).isGreaterThan(first);
    }

    @Test
    void keepsEventsPendingMetaAndStatsAcrossReopen()
    {
        store.putEvent(1, "u1", row(5, 1_000, "profile", List.of("x")));
        store.putEvent(1, "gone", row(5, 1_000, "gone"));
        store.deleteEvent(1, "gone");
        long id = store.holdPending(row(6, 2_000, "held"), List.of(new LookupKey(1, "u2")));
        store.putMeta("offsets", new byte[] {1, 2, 3});
        store.flush();
        TaskStore reopened = reopen(store);
        assumeTrue(reopened != null, "store does not survive reopen");
        store = reopened;

        assertThat(store.getEvent(1, "u1").values()).containsExactly("profile", List.of("x"));
        assertThat(store.getEvent(1, "gone")).isNull();
        assertThat(ids(store.pendingFor(1, "u2"))).containsExactly(id);
        assertThat(store.getMeta("offsets")).containsExactly(1, 2, 3);
        assertThat(store.stats().events(1)).isEqualTo(1);
        assertThat(store.stats().pendingRecords()).isEqualTo(1);
        List<PendingRecord> expired = new ArrayList<>();
        assertThat(store.expire(2_000, expired::add)).isEqualTo(2);
        assertThat(ids(expired)).containsExactly(id);
    }
}
