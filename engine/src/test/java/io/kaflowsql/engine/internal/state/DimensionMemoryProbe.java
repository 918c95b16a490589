package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measurement main (not a unit test): loads user profiles and products into a dimension table and
 * prints heap, RSS, bytes per entry and lookup latency. Run one implementation per JVM, e.g.
 * {@code java -Xmx3g -cp ... DimensionMemoryProbe compact 5000000}. Rows are built with fresh strings
 * per row, as a JSON decoder would produce them.
 */
public final class DimensionMemoryProbe
{
    private static final String[] TIERS = {"free", "basic", "premium", "enterprise"};
    private static final String[] AGES = {"18-24", "25-34", "35-44", "45-54", "55+"};
    private static final String[] LOCATIONS = {"US-CA", "US-NY", "US-TX", "UK-LN", "DE-BE", "FR-PA"};
    private static final String[] TOPICS = {"sports", "tech", "music", "travel", "food", "fashion", "gaming"};

    private DimensionMemoryProbe() {}

    public static void main(String[] args)
    {
        String kind = args.length > 0 ? args[0] : "compact";
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        int products = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long baseline = usedHeapAfterGc();
        DimensionTable profiles = create(kind, users);
        DimensionTable catalog = create(kind, products);
        SplittableRandom random = new SplittableRandom(7);
        long loadStart = cpuNanos();
        for (int i = 0; i < users; i++) {
            String id = "user_" + (1_000_000 + i);
            profiles.upsert(null, id, profile(id, random));
        }
        for (int i = 0; i < products; i++) {
            String id = "prod_" + (100_000 + i);
            catalog.upsert(null, id, new Object[] {id, fresh("Product name " + i), fresh(TOPICS[i % TOPICS.length]), 9.99d + i, fresh("brand-" + (i % 500))});
        }
        long loadNanos = cpuNanos() - loadStart;
        long heap = usedHeapAfterGc() - baseline;
        System.out.printf("impl=%s users=%d products=%d load=%.1fs cpu (%.0f ns/upsert)%n", kind, users, products,
                loadNanos / 1e9, loadNanos / (double) (users + products));
        System.out.printf("heap used by tables=%.1f MB  bytes/entry=%.1f  approximateBytes=%.1f MB  RSS=%.1f MB%n",
                heap / 1e6, heap / (double) (users + products), (profiles.approximateBytes() + catalog.approximateBytes()) / 1e6, rssBytes() / 1e6);
        measureLookups(profiles, users, random);
        measureCodec();
        profiles.close();
        catalog.close();
    }

    private static DimensionTable create(String kind, int rows)
    {
        return switch (kind) {
            case "compact" -> new CompactDimensionTable(ByteArena.DEFAULT_CHUNK_SIZE, rows);
            case "hashmap" -> new HashMapDimensionTable();
            default -> throw new IllegalArgumentException("kind must be compact or hashmap: " + kind);
        };
    }

    private static Object[] profile(String id, SplittableRandom random)
    {
        List<Object> preferences = new ArrayList<>(3);
        for (int j = 0; j < 3; j++) {
            preferences.add(fresh(TOPICS[random.nextInt(TOPICS.length)]));
        }
        return new Object[] {id, fresh(TIERS[random.nextInt(TIERS.length)]), fresh(AGES[random.nextInt(AGES.length)]),
                fresh(LOCATIONS[random.nextInt(LOCATIONS.length)]), preferences, (long) random.nextInt(500),
                random.nextDouble() * 10_000};
    }

    /** A new String instance, as a decoder would allocate. */
    private static String fresh(String value)
    {
        return new String(value.toCharArray());
    }

    private static void measureLookups(DimensionTable profiles, int users, SplittableRandom random)
    {
        int lookups = 5_000_000;
        String[] keys = new String[1 << 16];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "user_" + (1_000_000 + random.nextInt(users));
        }
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long start = cpuNanos();
            for (int i = 0; i < lookups; i++) {
                Object[] row = profiles.get(keys[i & (keys.length - 1)]);
                sink += row == null ? 0 : row.length;
            }
            long hitNanos = cpuNanos() - start;
            start = cpuNanos();
            for (int i = 0; i < lookups; i++) {
                Object[] row = profiles.get("nobody_" + (i & 1023));
                sink += row == null ? 1 : 0;
            }
            long missNanos = cpuNanos() - start;
            System.out.printf("round %d (thread cpu time): hit %.0f ns/lookup, miss %.0f ns/lookup (miss includes building the key)%n",
                    round, hitNanos / (double) lookups, missNanos / (double) lookups);
        }
        System.out.println("checksum " + sink);
    }

    private static void measureCodec()
    {
        Object[] row = {"user_1234567", "premium", "25-34", "US-CA", List.of("sports", "tech", "music"), 17L, 1234.56d};
        byte[] encoded = RowCodec.encode(row);
        long sink = 0;
        int n = 5_000_000;
        for (int round = 0; round < 3; round++) {
            long start = cpuNanos();
            for (int i = 0; i < n; i++) {
                sink += RowCodec.encode(row).length;
            }
            long encodeNanos = cpuNanos() - start;
            start = cpuNanos();
            for (int i = 0; i < n; i++) {
                sink += RowCodec.decode(encoded).length;
            }
            long decodeNanos = cpuNanos() - start;
            System.out.printf("RowCodec 7-field row (%d bytes): encode %.0f ns, decode %.0f ns%n", encoded.length,
                    encodeNanos / (double) n, decodeNanos / (double) n);
        }
        System.out.println("checksum " + sink);
    }

    /** CPU time of this thread: wall time is meaningless on a shared, overloaded machine. */
    private static long cpuNanos()
    {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long usedHeapAfterGc()
    {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long rssBytes()
    {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
