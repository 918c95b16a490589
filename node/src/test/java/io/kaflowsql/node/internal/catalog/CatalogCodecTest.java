package io.kaflowsql.node.internal.catalog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogCodecTest
{
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

    @Test
    void deployedAndStateOnlyEntriesSurviveARoundTrip()
    {
        CatalogEntry deployed = CatalogEntry.deployed("clicks", "name: clicks\nquery: SELECT 1", CatalogEntry.State.PAUSED, 3, AT);
        CatalogEntry stateOnly = CatalogEntry.stateOnly("from_file", CatalogEntry.State.RUNNING, 1, AT);

        assertThat(CatalogCodec.decode("clicks", CatalogCodec.encode(deployed))).isEqualTo(deployed);
        assertThat(CatalogCodec.decode("from_file", CatalogCodec.encode(stateOnly))).isEqualTo(stateOnly);
    }

    @Test
    void writesTheDocumentedFieldsWithTheFormatVersion()
    {
        String json = new String(CatalogCodec.encode(CatalogEntry.deployed("clicks", "yaml", CatalogEntry.State.RUNNING, 2, AT)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"format_version\":1,\"name\":\"clicks\",\"yaml\":\"yaml\",\"state\":\"RUNNING\",\"revision\":2,"
                + "\"updated_at\":\"2026-11-25T03:00:00Z\"}");
    }

    @Test
    void aRecordOfANewerFormatIsRefusedAsNewerNamingThePipeline()
    {
        byte[] newer = ("{\"format_version\":2,\"name\":\"clicks\",\"yaml\":\"y\",\"state\":\"RUNNING\",\"revision\":5,"
                + "\"updated_at\":\"2026-11-25T03:00:00Z\",\"shards\":4}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CatalogCodec.decode("clicks", newer))
                .isInstanceOfSatisfying(CatalogRecordException.class, e -> {
                    assertThat(e.newerFormat()).isTrue();
                    assertThat(e.getMessage()).contains("clicks", "format version 2", "upgrade");
                });
    }

    @Test
    void unknownFieldsOfTheCurrentFormatAreIgnored()
    {
        byte[] value = ("{\"format_version\":1,\"name\":\"clicks\",\"state\":\"PAUSED\",\"revision\":1,"
                + "\"updated_at\":\"2026-11-25T03:00:00Z\",\"comment\":\"x\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(CatalogCodec.decode("clicks", value)).isEqualTo(CatalogEntry.stateOnly("clicks", CatalogEntry.State.PAUSED, 1, AT));
    }

    @Test
    void corruptOrIncompleteValuesAreRefusedWithoutBeingTakenForNewer()
    {
        for (String bad : new String[] {"not json at all", "[1,2]", "{\"name\":\"clicks\"}",
                "{\"format_version\":1,\"name\":\"other\",\"state\":\"RUNNING\",\"revision\":1,\"updated_at\":\"2026-11-25T03:00:00Z\"}",
                "{\"format_version\":1,\"name\":\"clicks\",\"state\":\"SLEEPING\",\"revision\":1,\"updated_at\":\"2026-11-25T03:00:00Z\"}",
                "{\"format_version\":1,\"name\":\"clicks\",\"state\":\"RUNNING\",\"revision\":0,\"updated_at\":\"2026-11-25T03:00:00Z\"}",
                "{\"format_version\":1,\"name\":\"clicks\",\"state\":\"RUNNING\",\"revision\":1,\"updated_at\":\"yesterday\"}"}) {
            assertThatThrownBy(() -> CatalogCodec.decode("clicks", bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad)
                    .isInstanceOfSatisfying(CatalogRecordException.class, e -> {
                        assertThat(e.newerFormat()).isFalse();
                        assertThat(e.getMessage()).contains("clicks");
                    });
        }
    }
}
