package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Replaying what {@link ChangelogTaskStore} logged rebuilds the same state, also after compaction. */
class ChangelogTaskStoreTest
{
    @TempDir
    java.nio.file.Path dir;

    private final List<byte[][]> log = new ArrayList<>();
    private final List<TaskStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores()
    {
        opened.forEach(TaskStore::close);
    }

    @Test
    void replayingTheChangelogRebuildsEventsPendingAndMetadata()
    {
        ChangelogTaskStore store = new ChangelogTaskStore(open("source"), (key, value) -> log.add(new byte[][] {key, value}));
        store.putEvent(1, "u1", row(10, 1_000, "gold"));
        store.putEvent(1, "u2", row(11, 1_000, "silver"));
        store.putEvent(1, "u1", row(12, 1_000, "platinum"));
        store.deleteEvent(1, "u2");
        long first = store.holdPending(row(13, 2_000, "click-1"), List.of(new LookupKey(1, "u9"), new LookupKey(2, "p1")));
        long second = store.holdPending(row(14, 2_000, "click-2"), List.of(new LookupKey(1, "u9")));
        store.reindexPending(first, List.of(new LookupKey(2, "p1")));
        store.removePending(second);
        store.putMeta("stream-time", longBytes(14));

        TaskStore replayed = replay(log, "replayed");

        assertThat(replayed.getEvent(1, "u1").values()).containsExactly("platinum");
        assertThat(replayed.getEvent(1, "u2")).isNull();
        assertThat(replayed.pendingFor(2, "p1")).extracting(PendingRecord::id).containsExactly(first);
        assertThat(replayed.pendingFor(1, "u9")).isEmpty();
        assertThat(replayed.pendingFor(2, "p1").get(0).row().values()).containsExactly("click-1");
        assertThat(replayed.getMeta("stream-time")).isEqualTo(longBytes(14));
        assertThat(replayed.holdPending(row(15, 2_000, "click-3"), List.of())).isGreaterThan(first);
    }

    @Test
    void expiryIsLoggedAsDeletionsSoACompactedChangelogStaysBounded()
    {
        ChangelogTaskStore store = new ChangelogTaskStore(open("source"), (key, value) -> log.add(new byte[][] {key, value}));
        store.putEvent(1, "old", row(1, 100, "a"));
        store.putEvent(1, "young", row(1, 900, "b"));
        store.holdPending(row(1, 100, "held"), List.of(new LookupKey(1, "x")));
        List<PendingRecord> expired = new ArrayList<>();

        store.expire(500, expired::add);

        assertThat(expired).hasSize(1);
        Map<String, byte[]> compacted = compact(log);
        assertThat(compacted.values().stream().filter(value -> value != null)).hasSize(1);
        TaskStore replayed = replay(compactedRecords(compacted), "compacted");
        assertThat(replayed.getEvent(1, "old")).isNull();
        assertThat(replayed.getEvent(1, "young").values()).containsExactly("b");
        assertThat(replayed.pendingFor(1, "x")).isEmpty();
    }

    @Test
    void unchangedMetadataIsNotLoggedAgain()
    {
        ChangelogTaskStore store = new ChangelogTaskStore(open("source"), (key, value) -> log.add(new byte[][] {key, value}));
        store.putMeta("stream-time", longBytes(5));
        store.putMeta("stream-time", longBytes(5));
        store.putMeta("stream-time", longBytes(6));

        assertThat(log).hasSize(2);
    }

    @Test
    void unknownRecordKindIsRejected()
    {
        TaskStore store = open("target");
        assertThatThrownBy(() -> ChangelogRecords.apply(store, new byte[] {'X', 1}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown changelog record kind 'X'");
    }

    /** Replays through the restore fast path (batched, unlogged event rows), as the runtime does. */
    private TaskStore replay(List<byte[][]> records, String name)
    {
        RocksTaskStore target = RocksTaskStore.open(dir.resolve(name), RocksTaskStoreOptions.DEFAULTS);
        opened.add(target);
        for (byte[][] record : records) {
            ChangelogRecords.restore(target, record[0], record[1]);
        }
        target.flush();
        return target;
    }

    @Test
    void genericApplyRebuildsTheSameRowsAsTheRestoreFastPath()
    {
        ChangelogTaskStore store = new ChangelogTaskStore(open("source"), (key, value) -> log.add(new byte[][] {key, value}));
        store.putEvent(1, "u1", row(10, 1_000, "gold"));
        store.putEvent(2, "p1", row(10, 1_000, "book"));
        store.deleteEvent(2, "p1");
        TaskStore generic = open("generic");
        log.forEach(record -> ChangelogRecords.apply(generic, record[0], record[1]));

        TaskStore fast = replay(log, "fast");

        for (TaskStore restored : List.of(generic, fast)) {
            assertThat(restored.getEvent(1, "u1").values()).containsExactly("gold");
            assertThat(restored.getEvent(2, "p1")).isNull();
        }
    }

    private TaskStore open(String name)
    {
        TaskStore store = RocksTaskStore.open(dir.resolve(name), RocksTaskStoreOptions.DEFAULTS);
        opened.add(store);
        return store;
    }

    /** What a compacted topic keeps: the latest value per key (tombstones included until cleaned). */
    private static Map<String, byte[]> compact(List<byte[][]> records)
    {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        for (byte[][] record : records) {
            String key = Arrays.toString(record[0]);
            latest.remove(key);
            latest.put(key, record[1]);
        }
        return latest;
    }

    private List<byte[][]> compactedRecords(Map<String, byte[]> compacted)
    {
        List<byte[][]> records = new ArrayList<>();
        for (byte[][] record : log) {
            String key = Arrays.toString(record[0]);
            if (compacted.get(key) == record[1] && records.stream().noneMatch(kept -> Arrays.equals(kept[0], record[0]))) {
                records.add(record);
            }
        }
        return records;
    }

    private static StoredRow row(long eventTime, long expiresAt, Object... values)
    {
        return new StoredRow(eventTime, expiresAt, values);
    }

    private static byte[] longBytes(long value)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }
}
