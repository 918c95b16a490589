package io.kaflowsql.node.internal.catalog;

import io.kaflowsql.protocol.SupportedVersions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catalog records between nodes of version N (reads 1) and N+1 (reads 1 and 2). */
class CatalogCodecVersionTest
{
    private static final SupportedVersions N = SupportedVersions.current();
    private static final SupportedVersions N_PLUS_1 = SupportedVersions.bumped();
    private static final CatalogEntry ENTRY = CatalogEntry.deployed("clicks", "yaml", CatalogEntry.State.RUNNING, 3, Instant.parse("2026-11-25T03:00:00Z"));

    @Test
    void recordCarriesTheVersionItIsWrittenIn()
    {
        assertThat(new String(CatalogCodec.encode(ENTRY, 2), StandardCharsets.UTF_8)).startsWith("{\"format_version\":2,");
        assertThat(new String(CatalogCodec.encode(ENTRY, 1), StandardCharsets.UTF_8)).startsWith("{\"format_version\":1,");
    }

    @Test
    void nPlusOneReadsBothVersions()
    {
        assertThat(CatalogCodec.decode("clicks", CatalogCodec.encode(ENTRY, 1), N_PLUS_1)).isEqualTo(ENTRY);
        assertThat(CatalogCodec.decode("clicks", CatalogCodec.encode(ENTRY, 2), N_PLUS_1)).isEqualTo(ENTRY);
        assertThat(CatalogCodec.decode("clicks", CatalogCodec.encode(ENTRY, 1), N)).isEqualTo(ENTRY);
    }

    @Test
    void nRefusesARecordOfNPlusOneAsNewerNamingPipelineAndVersions()
    {
        assertThatThrownBy(() -> CatalogCodec.decode("clicks", CatalogCodec.encode(ENTRY, 2), N))
                .isInstanceOfSatisfying(CatalogRecordException.class, e -> assertThat(e.newerFormat()).isTrue())
                .hasMessageContaining("catalog record of pipeline 'clicks' has format version 2, this node reads versions 1")
                .hasMessageContaining("upgrade this node");
    }

    @Test
    void recordOlderThanTheOldestReadableVersionIsRefusedButNotAsNewer()
    {
        SupportedVersions onlyTwo = SupportedVersions.fromAttribute("checkpoint=2;changelog=2;catalog=2;assignment=2;protocol=2");

        assertThatThrownBy(() -> CatalogCodec.decode("clicks", CatalogCodec.encode(ENTRY, 1), onlyTwo))
                .isInstanceOfSatisfying(CatalogRecordException.class, e -> assertThat(e.newerFormat()).isFalse())
                .hasMessageContaining("format version 1, this node reads versions 2");
    }
}
