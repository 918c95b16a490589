package io.kaflowsql.engine.internal.state;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompactDimensionTableTest
        extends DimensionTableContractTest
{
    @Override
    protected DimensionTable createTable()
    {
        // small chunks and index so that the contract tests cross chunk, resize and compaction paths
        return new CompactDimensionTable(4096, 16);
    }

    @Test
    void compactsWhenGarbageExceedsLiveBytes()
    {
        CompactDimensionTable compact = new CompactDimensionTable(4096, 16);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 100; i++) {
                compact.upsert(null, "user_" + i, new Object[] {"user_" + i, (long) round, "x".repeat(20)});
            }
        }

        assertThat(compact.garbageBytes()).isLessThanOrEqualTo(compact.approximateBytes());
        assertThat(compact.approximateBytes()).isLessThan(60 * 100 * 4L + 8L * 1024 + 4 * 4096);
        for (int i = 0; i < 100; i++) {
            assertThat(compact.get("user_" + i)[1]).isEqualTo(49L);
        }
        compact.close();
    }

    @Test
    void storesRowsLargerThanAChunk()
    {
        CompactDimensionTable compact = new CompactDimensionTable(4096, 16);
        String big = "b".repeat(100_000);
        compact.upsert(null, "big", new Object[] {big});
        compact.upsert(null, "small", new Object[] {"s"});

        assertThat(compact.get("big")[0]).isEqualTo(big);
        assertThat(compact.get("small")[0]).isEqualTo("s");
        compact.close();
    }
}
