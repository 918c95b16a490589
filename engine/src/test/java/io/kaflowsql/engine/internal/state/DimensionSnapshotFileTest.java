package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.state.DimensionSnapshotFile.Header;
import io.kaflowsql.engine.internal.state.DimensionSnapshotFile.PartitionOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DimensionSnapshotFileTest
{
    private static final Header HEADER = new Header("pipe", "fp-1",
            List.of(new PartitionOffset("user_profiles", 0, 17), new PartitionOffset("user_profiles", 1, 0), new PartitionOffset("products", 0, 4)));

    @TempDir
    Path dir;

    private static DimensionTable table(String kind)
    {
        return kind.equals("compact") ? new CompactDimensionTable(4096, 16) : new HashMapDimensionTable();
    }

    /** Every kind of value, owners other than the join value, replaced and deleted rows. */
    private static void fill(DimensionTable users)
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("tags", List.of("a", "b"));
        nested.put("none", null);
        nested.put("score", 1.5d);
        users.upsert(null, "u1", new Object[] {"u1", null, List.of("sports", "tech"), 17L, 1234.56d, true});
        users.upsert("u2", "u2", new Object[] {"u2", "naïve – 東京 😀", List.of(), -3L, Double.NaN, false});
        users.upsert("k3", "alice@example.com", new Object[] {"alice@example.com", nested, null, Long.MIN_VALUE, -0.0d, null});
        users.upsert("k4", "bob@example.com", new Object[] {"bob@example.com", "old", null, 1L, 0d, null});
        users.upsert("k4", "bob@example.com", new Object[] {"bob@example.com", "new", null, 2L, 0d, null});
        users.upsert(null, "gone", new Object[] {"gone"});
        users.delete("gone");
        users.upsert("k5", "moved-from", new Object[] {"moved-from"});
        users.upsert("k5", "moved-to", new Object[] {"moved-to"});
        users.upsert("k6", "taken", new Object[] {"taken", "by k6"});
        users.upsert("k7", "taken", new Object[] {"taken", "by k7"}); // k7 owns it now; k6 owns nothing
        for (int i = 0; i < 3_000; i++) {
            users.upsert(null, "user_" + i, new Object[] {"user_" + i, "tier-" + (i % 3), (long) i});
        }
        for (int i = 0; i < 3_000; i += 7) {
            users.delete("user_" + i);
        }
    }

    private static List<String> probes()
    {
        List<String> keys = new ArrayList<>(List.of("u1", "u2", "alice@example.com", "bob@example.com", "gone", "moved-from", "moved-to", "taken", "k3",
                "k4", "missing"));
        for (int i = 0; i < 3_000; i++) {
            keys.add("user_" + i);
        }
        return keys;
    }

    private long write(Path file, SortedMap<Integer, DimensionTable> tables)
            throws IOException
    {
        return DimensionSnapshotFile.write(file, HEADER, tables);
    }

    private static long load(Path file, DimensionTable[] tables)
            throws IOException
    {
        try (DimensionSnapshotFile.Reader reader = DimensionSnapshotFile.open(file)) {
            assertThat(reader.header()).isEqualTo(HEADER);
            return reader.loadRows(index -> index < tables.length ? tables[index] : null);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"compact, compact", "compact, hashmap", "hashmap, compact", "hashmap, hashmap"})
    void loadedTablesAnswerEveryLookupLikeTheWrittenOnes(String writtenKind, String loadedKind)
            throws IOException
    {
        DimensionTable users = table(writtenKind);
        DimensionTable products = table(writtenKind);
        fill(users);
        products.upsert(null, "p1", new Object[] {"p1", "books", 10.0d});
        Path file = dir.resolve("snapshot.kfds");

        long written = write(file, new TreeMap<>(Map.of(1, users, 2, products)));
        DimensionTable[] loaded = {null, table(loadedKind), table(loadedKind)};
        long read = load(file, loaded);

        assertThat(written).isEqualTo(users.size() + 1).isEqualTo(read);
        assertThat(loaded[1].size()).isEqualTo(users.size());
        for (String key : probes()) {
            assertThat(loaded[1].get(key)).as(key).isEqualTo(users.get(key));
        }
        assertThat(loaded[1].get("gone")).isNull();
        assertThat(loaded[1].get("moved-from")).isNull();
        assertThat(loaded[2].get("p1")).containsExactly("p1", "books", 10.0d);
        assertThat(Double.isNaN((Double) loaded[1].get("u2")[4])).isTrue();
        assertThat(Double.doubleToRawLongBits((Double) loaded[1].get("alice@example.com")[4])).isEqualTo(Double.doubleToRawLongBits(-0.0d));
    }

    @ParameterizedTest
    @CsvSource({"compact", "hashmap"})
    void loadedRowsKeepTheirOwnersForLaterDeletesAndUpserts(String kind)
            throws IOException
    {
        DimensionTable users = table(kind);
        fill(users);
        Path file = dir.resolve("snapshot.kfds");
        write(file, new TreeMap<>(Map.of(0, users)));
        DimensionTable[] loaded = {table(kind)};
        load(file, loaded);

        for (DimensionTable table : List.of(users, loaded[0])) {
            table.delete("alice@example.com"); // the join value is not the owner: no effect
            table.delete("k3");
            table.delete("k6"); // lost "taken" to k7: no effect
            table.upsert("k5", "moved-again", new Object[] {"moved-again"}); // removes k5's previous row "moved-to"
            table.delete("u2");
        }
        for (String key : probes()) {
            assertThat(loaded[0].get(key)).as(key).isEqualTo(users.get(key));
        }
        assertThat(loaded[0].get("alice@example.com")).isNull();
        assertThat(loaded[0].get("taken")).containsExactly("taken", "by k7");
        assertThat(loaded[0].get("moved-to")).isNull();
        assertThat(loaded[0].get("moved-again")).containsExactly("moved-again");
        assertThat(loaded[0].size()).isEqualTo(users.size());
    }

    @Test
    void roundTripsManyRowsAcrossChunksAndIndexResizes()
            throws IOException
    {
        CompactDimensionTable users = new CompactDimensionTable();
        for (int i = 0; i < 200_000; i++) {
            users.upsert(null, "user_" + i, new Object[] {"user_" + i, "premium", List.of("sports", "tech"), (long) i, i * 1.5d});
        }
        Path file = dir.resolve("many.kfds");
        write(file, new TreeMap<>(Map.of(1, users)));
        DimensionTable[] loaded = {null, new CompactDimensionTable(4096, 16)};

        assertThat(load(file, loaded)).isEqualTo(200_000);
        for (int i = 0; i < 200_000; i += 997) {
            assertThat(loaded[1].get("user_" + i)).isEqualTo(users.get("user_" + i));
        }
        assertThat(loaded[1].size()).isEqualTo(200_000);
    }

    @Test
    void rejectsATruncatedFile()
            throws IOException
    {
        Path file = filledSnapshot();
        byte[] bytes = Files.readAllBytes(file);
        for (int length : new int[] {0, 3, 9, bytes.length / 2, bytes.length - 1}) {
            Files.write(file, Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> load(file, new DimensionTable[] {null, new CompactDimensionTable()}))
                    .as("truncated to " + length)
                    .isInstanceOfAny(EOFException.class, InvalidDimensionSnapshotException.class);
        }
    }

    @Test
    void rejectsAFlippedByteInTheRowsByItsChecksum()
            throws IOException
    {
        Path file = filledSnapshot();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 40] ^= 0x01; // inside the last row's value
        Files.write(file, bytes);

        assertThatThrownBy(() -> load(file, new DimensionTable[] {null, new CompactDimensionTable()}))
                .isInstanceOf(InvalidDimensionSnapshotException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void rejectsAnotherMagicOrFormatVersionBeforeReadingRows()
            throws IOException
    {
        Path file = filledSnapshot();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, patchInt(bytes, 0, 0x12345678));
        assertThatThrownBy(() -> DimensionSnapshotFile.open(file)).isInstanceOf(InvalidDimensionSnapshotException.class).hasMessageContaining("magic");
        Files.write(file, patchInt(bytes, 4, DimensionSnapshotFile.VERSION + 1));
        assertThatThrownBy(() -> DimensionSnapshotFile.open(file)).isInstanceOf(InvalidDimensionSnapshotException.class).hasMessageContaining("version");
    }

    @Test
    void rejectsRowsOfASourceThatIsNoDimension()
            throws IOException
    {
        Path file = filledSnapshot();
        assertThatThrownBy(() -> load(file, new DimensionTable[] {new CompactDimensionTable()}))
                .isInstanceOf(InvalidDimensionSnapshotException.class)
                .hasMessageContaining("source 1");
    }

    @Test
    void clearEmptiesATableThatStaysUsable()
    {
        for (Supplier<DimensionTable> kind : List.<Supplier<DimensionTable>>of(CompactDimensionTable::new, HashMapDimensionTable::new)) {
            DimensionTable users = kind.get();
            fill(users);
            users.clear();
            assertThat(users.size()).isZero();
            assertThat(users.get("u1")).isNull();
            users.upsert("k3", "alice@example.com", new Object[] {"a"});
            users.delete("k3");
            assertThat(users.get("alice@example.com")).isNull();
        }
    }

    private Path filledSnapshot()
            throws IOException
    {
        DimensionTable users = new CompactDimensionTable();
        fill(users);
        Path file = dir.resolve("snapshot.kfds");
        write(file, new TreeMap<>(Map.of(1, users)));
        return file;
    }

    private static byte[] patchInt(byte[] bytes, int offset, int value)
    {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }
}
