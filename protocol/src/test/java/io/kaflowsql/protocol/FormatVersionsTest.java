package io.kaflowsql.protocol;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FormatVersionsTest
{
    private static final SupportedVersions N = SupportedVersions.current();
    private static final SupportedVersions N_PLUS_1 = SupportedVersions.bumped();

    @Test
    void nPlusOneReadsBothVersionsAndNOnlyItsOwn()
    {
        for (Format format : Format.values()) {
            assertThat(N.range(format)).isEqualTo(VersionRange.of(1, 1));
            assertThat(N_PLUS_1.range(format)).isEqualTo(VersionRange.of(1, 2));
        }
    }

    @Test
    void mixedClusterWritesTheOldVersionAndAnAllNewClusterTheNewOne()
    {
        assertThat(N_PLUS_1.writable(List.of(N_PLUS_1, N, N_PLUS_1))).containsOnlyKeys(Format.values()).allSatisfy((format, version) -> assertThat(version).isEqualTo(1));
        assertThat(N_PLUS_1.writable(List.of(N_PLUS_1, N_PLUS_1))).allSatisfy((format, version) -> assertThat(version).isEqualTo(2));
        assertThat(N.writable(List.of(N, N_PLUS_1))).allSatisfy((format, version) -> assertThat(version).isEqualTo(1));
    }

    @Test
    void negotiatesEachFormatSeparately()
    {
        Map<Format, VersionRange> ranges = new EnumMap<>(N_PLUS_1.ranges());
        ranges.put(Format.CHANGELOG, VersionRange.of(1, 1));
        SupportedVersions changelogStillOld = new SupportedVersions(ranges);

        Map<Format, Integer> writable = N_PLUS_1.writable(List.of(N_PLUS_1, changelogStillOld));

        assertThat(writable.get(Format.CHANGELOG)).isEqualTo(1);
        assertThat(writable.get(Format.CHECKPOINT)).isEqualTo(2);
    }

    @Test
    void neverWritesBelowItsOwnOldestVersion()
    {
        SupportedVersions onlyTwoAndThree = uniform(VersionRange.of(2, 3));

        assertThat(onlyTwoAndThree.writable(List.of(onlyTwoAndThree, N))).allSatisfy((format, version) -> assertThat(version).isEqualTo(2));
    }

    @Test
    void writesTheOldestVersionUntilItKnowsTheClusterThenSwitchesBothWays()
    {
        FormatVersions versions = FormatVersions.of(N_PLUS_1);
        assertThat(versions.write(Format.CHECKPOINT)).isEqualTo(1);

        assertThat(versions.negotiate(List.of(N_PLUS_1, N))).isEmpty();
        assertThat(versions.write(Format.CHANGELOG)).isEqualTo(1);

        List<FormatVersions.Switch> up = versions.negotiate(List.of(N_PLUS_1, N_PLUS_1));
        assertThat(up).hasSize(Format.values().length).allSatisfy(change -> assertThat(change.to()).isEqualTo(2));
        assertThat(versions.writing()).allSatisfy((format, version) -> assertThat(version).isEqualTo(2));

        assertThat(versions.negotiate(List.of(N_PLUS_1, N))).allSatisfy(change -> assertThat(change.from()).isEqualTo(2)).isNotEmpty();
        assertThat(versions.write(Format.ASSIGNMENT)).isEqualTo(1);
    }

    @Test
    void aStandaloneNodeWritesTheNewestItReads()
    {
        assertThat(FormatVersions.standalone(N_PLUS_1).writing()).allSatisfy((format, version) -> assertThat(version).isEqualTo(2));
        assertThat(FormatVersions.standalone(N).writing()).allSatisfy((format, version) -> assertThat(version).isEqualTo(1));
    }

    @Test
    void checkRefusesAVersionOutsideTheRangeNamingFormatVersionAndRange()
    {
        assertThat(N_PLUS_1.check(Format.CATALOG, 2, "of pipeline 'p'")).isEqualTo(2);
        assertThatThrownBy(() -> N.check(Format.CATALOG, 2, "of pipeline 'p'"))
                .isInstanceOfSatisfying(UnsupportedFormatVersionException.class, e -> {
                    assertThat(e.format()).isEqualTo(Format.CATALOG);
                    assertThat(e.version()).isEqualTo(2);
                    assertThat(e.supported()).isEqualTo(VersionRange.of(1, 1));
                })
                .hasMessageContaining("catalog record of pipeline 'p' has format version 2, this node reads versions 1")
                .hasMessageContaining("upgrade this node");
        assertThatThrownBy(() -> uniform(VersionRange.of(2, 3)).check(Format.CHANGELOG, 1, ""))
                .hasMessageContaining("changelog record has format version 1, this node reads versions 2..3")
                .hasMessageContaining("older");
    }

    @Test
    void attributeRoundTripsAndAnOlderNodeWithoutItReadsVersionOne()
    {
        assertThat(SupportedVersions.fromAttribute(N_PLUS_1.toAttribute())).isEqualTo(N_PLUS_1);
        assertThat(N_PLUS_1.toAttribute()).contains("changelog=1..2");
        assertThat(SupportedVersions.fromAttribute(null)).isEqualTo(N);
        assertThat(SupportedVersions.fromAttribute("changelog=1..2;future-format=4..5").range(Format.CHANGELOG)).isEqualTo(VersionRange.of(1, 2));
        assertThat(SupportedVersions.fromAttribute("changelog=1..2").range(Format.CATALOG)).isEqualTo(VersionRange.of(1, 1));
        assertThatThrownBy(() -> SupportedVersions.fromAttribute("changelog")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SupportedVersions.fromAttribute("changelog=x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTestFlagMakesThisBuildTheNextVersion()
    {
        String before = System.getProperty(SupportedVersions.TEST_BUMP_PROPERTY);
        try {
            System.setProperty(SupportedVersions.TEST_BUMP_PROPERTY, "true");
            assertThat(SupportedVersions.thisBuild()).isEqualTo(N_PLUS_1);
            System.clearProperty(SupportedVersions.TEST_BUMP_PROPERTY);
            assertThat(SupportedVersions.thisBuild()).isEqualTo(N);
        }
        finally {
            if (before != null) {
                System.setProperty(SupportedVersions.TEST_BUMP_PROPERTY, before);
            }
        }
    }

    private static SupportedVersions uniform(VersionRange range)
    {
        Map<Format, VersionRange> ranges = new EnumMap<>(Format.class);
        for (Format format : Format.values()) {
            ranges.put(format, range);
        }
        return new SupportedVersions(ranges);
    }
}
