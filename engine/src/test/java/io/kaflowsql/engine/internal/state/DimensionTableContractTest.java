package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one behaviour contract of {@link DimensionTable}, run against every implementation. */
abstract class DimensionTableContractTest
{
    protected DimensionTable table;

    protected abstract DimensionTable createTable();

    @BeforeEach
    void openTable()
    {
        table = createTable();
    }

    @AfterEach
    void closeTable()
    {
        table.close();
    }

    private static Object[] profile(String userId, String tier)
    {
        return new Object[] {userId, tier, "25-34", "US-CA", List.of("sports", "tech", "music"), 17L, 1234.56d};
    }

    @Test
    void returnsLatestRowPerJoinValue()
    {
        table.upsert(null, "user_1", profile("user_1", "free"));
        table.upsert(null, "user_1", profile("user_1", "premium"));
        table.upsert(null, "user_2", profile("user_2", "basic"));

        assertThat(table.get("user_1")).containsExactly(profile("user_1", "premium"));
        assertThat(table.get("user_2")[1]).isEqualTo("basic");
        assertThat(table.get("user_3")).isNull();
        assertThat(table.get(null)).isNull();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void deletesByRecordKeyEqualToJoinValue()
    {
        table.upsert("user_1", "user_1", profile("user_1", "free"));
        table.upsert(null, "user_2", profile("user_2", "free"));

        table.delete("user_1");
        table.delete("user_2");
        table.delete("never-there");

        assertThat(table.get("user_1")).isNull();
        assertThat(table.get("user_2")).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void deletesByRecordKeyThatDiffersFromJoinValue()
    {
        table.upsert("k1", "alice@example.com", profile("alice", "free"));

        table.delete("alice@example.com");
        assertThat(table.get("alice@example.com")).isNotNull();
        table.delete("k1");
        assertThat(table.get("alice@example.com")).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void movesRowWhenRecordChangesJoinValue()
    {
        table.upsert("k1", "old@example.com", profile("alice", "free"));
        table.upsert("k1", "new@example.com", profile("alice", "premium"));

        assertThat(table.get("old@example.com")).isNull();
        assertThat(table.get("new@example.com")[1]).isEqualTo("premium");
        assertThat(table.size()).isEqualTo(1);
        table.delete("k1");
        assertThat(table.get("new@example.com")).isNull();
    }

    @Test
    void movesRowWhenJoinValueChangesBackToTheRecordKey()
    {
        table.upsert("k1", "x", profile("a", "free"));
        table.upsert("k1", "k1", profile("a", "basic"));

        assertThat(table.get("x")).isNull();
        assertThat(table.get("k1")[1]).isEqualTo("basic");
        table.delete("k1");
        assertThat(table.size()).isZero();
    }

    @Test
    void nullJoinValueRemovesRecordsPreviousRow()
    {
        table.upsert("k1", "x", profile("a", "free"));

        table.upsert("k1", null, profile("a", "free"));

        assertThat(table.get("x")).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void latestRecordKeyWinsASharedJoinValueAndOldOwnerCannotDeleteIt()
    {
        table.upsert("k1", "shared", profile("a", "free"));
        table.upsert("k2", "shared", profile("b", "premium"));

        table.delete("k1");
        assertThat(table.get("shared")[0]).isEqualTo("b");
        table.upsert("k1", "other", profile("a", "free"));
        assertThat(table.get("shared")[0]).isEqualTo("b");
        table.delete("k2");
        assertThat(table.get("shared")).isNull();
        assertThat(table.get("other")[0]).isEqualTo("a");
    }

    @Test
    void implicitOwnerLosesJoinValueToExplicitOwner()
    {
        table.upsert(null, "v", profile("implicit", "free"));
        table.upsert("k9", "v", profile("explicit", "free"));

        table.delete("v");
        assertThat(table.get("v")[0]).isEqualTo("explicit");
        table.delete("k9");
        assertThat(table.get("v")).isNull();
    }

    @Test
    void handlesUnicodeJoinValuesAndNestedRows()
    {
        Map<String, Object> nested = new java.util.LinkedHashMap<>();
        nested.put("b", 1L);
        nested.put("a", List.of("x"));
        table.upsert(null, "用户-\uD83D\uDE00", new Object[] {nested, null, Double.NaN});

        Object[] row = table.get("用户-\uD83D\uDE00");
        assertThat(row[0]).isEqualTo(nested);
        assertThat(row[1]).isNull();
        assertThat((Double) row[2]).isNaN();
        assertThat(table.get("用户-")).isNull();
    }

    @Test
    void matchesAReferenceModelUnderRandomUpsertsAndDeletes()
    {
        Random random = new Random(42);
        Map<String, String> ownerToJoin = new HashMap<>();
        Map<String, String> joinToOwner = new HashMap<>();
        Map<String, Long> joinToVersion = new HashMap<>();
        for (int step = 0; step < 60_000; step++) {
            String owner = "k" + random.nextInt(2_000);
            if (random.nextInt(5) == 0) {
                table.delete(owner);
                String join = ownerToJoin.remove(owner);
                if (join != null && owner.equals(joinToOwner.get(join))) {
                    joinToOwner.remove(join);
                    joinToVersion.remove(join);
                }
                continue;
            }
            String join = random.nextInt(3) == 0 ? owner : "j" + random.nextInt(1_500);
            String previous = ownerToJoin.remove(owner);
            if (previous != null && !previous.equals(join) && owner.equals(joinToOwner.get(previous))) {
                joinToOwner.remove(previous);
                joinToVersion.remove(previous);
            }
            String previousOwner = joinToOwner.put(join, owner);
            if (previousOwner != null && !previousOwner.equals(owner)) {
                ownerToJoin.remove(previousOwner);
            }
            ownerToJoin.put(owner, join);
            joinToVersion.put(join, (long) step);
            table.upsert(random.nextBoolean() && owner.equals(join) ? null : owner, join, new Object[] {join, (long) step, "padding-" + step});
        }

        assertThat(table.size()).isEqualTo(joinToVersion.size());
        for (int i = 0; i < 2_000; i++) {
            for (String join : List.of("k" + i, "j" + i)) {
                Object[] row = table.get(join);
                Long expected = joinToVersion.get(join);
                assertThat(row == null ? null : row[1]).as(join).isEqualTo(expected);
            }
        }
    }

    @Test
    void readersSeeWholeRowsWhileOneWriterUpdates()
            throws Exception
    {
        int keys = 5_000;
        for (int i = 0; i < keys; i++) {
            table.upsert(null, "user_" + i, new Object[] {"user_" + i, 0L, "v0"});
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        CountDownLatch started = new CountDownLatch(2);
        Runnable reader = () -> {
            Random random = new Random();
            started.countDown();
            while (!stop.get()) {
                int k = random.nextInt(keys);
                try {
                    Object[] row = table.get("user_" + k);
                    // the row exists throughout (odd keys are deleted and re-added, see the writer)
                    if (k % 2 == 0) {
                        assertThat(row).isNotNull();
                    }
                    if (row != null) {
                        assertThat(row[0]).isEqualTo("user_" + k);
                        assertThat(row[2]).isEqualTo("v" + row[1]);
                    }
                    reads.incrementAndGet();
                }
                catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    return;
                }
            }
        };
        Thread first = new Thread(reader, "reader-1");
        Thread second = new Thread(reader, "reader-2");
        first.start();
        second.start();
        started.await();
        Random random = new Random(1);
        for (long version = 1; version <= 150_000 && failure.get() == null; version++) {
            int k = random.nextInt(keys);
            if (k % 2 == 1) {
                // deletes shift neighbouring entries of the index: present keys must never go missing
                table.delete("user_" + k);
            }
            // growing rows force arena chunks, index resizes (new keys) and compactions
            table.upsert(null, "user_" + k, new Object[] {"user_" + k, version, "v" + version});
            if (version % 10 == 0) {
                table.upsert(null, "extra_" + version, new Object[] {"extra", version, "v" + version});
            }
        }
        stop.set(true);
        first.join();
        second.join();

        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(table.size()).isEqualTo(keys + 15_000);
    }

    @Test
    void reportsApproximateBytes()
    {
        long empty = table.approximateBytes();
        for (int i = 0; i < 10_000; i++) {
            table.upsert(null, "user_" + i, profile("user_" + i, "free"));
        }

        assertThat(table.approximateBytes()).isGreaterThan(empty).isGreaterThan(10_000L * 50);
    }

    @Test
    void rejectsUseAfterClose()
    {
        table.close();
        table.close();

        assertThatThrownBy(() -> table.get("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> table.upsert(null, "x", new Object[0])).isInstanceOf(IllegalStateException.class);
    }
}
