package io.kaflowsql.protocol;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

import static java.util.Objects.requireNonNull;

/**
 * The versions of every {@link Format} one build reads; immutable. A node advertises them to the cluster
 * ({@link #toAttribute()}, a Hazelcast member attribute) and the cluster writes each format at the newest version
 * every member reads ({@link #writable}), like Kafka's {@code inter.broker.protocol.version} but negotiated.
 *
 * <p>The adjacent-version guarantee: a build of version N+1 reads the formats of N and N+1, so N and N+1 nodes run
 * together during a rolling upgrade; the N+1 nodes keep writing N until the last N node has left.
 *
 * <p>Tests only: the system property {@value #TEST_BUMP_PROPERTY}{@code =true} makes this build behave as N+1
 * ({@link #bumped()}: reads 1 and 2 of every format, writes 2 once every member reads it) without any real format
 * change, so that a test can run an N and an N+1 node together. Never set it in production.
 */
public record SupportedVersions(Map<Format, VersionRange> ranges)
{
    /** Tests only: behave as the next version (N+1) of this build. */
    public static final String TEST_BUMP_PROPERTY = "kaflowsql.test.format-bump";
    /** The version every format of this build writes (N). */
    public static final int CURRENT = 1;

    public SupportedVersions
    {
        requireNonNull(ranges, "ranges is null");
        EnumMap<Format, VersionRange> copy = new EnumMap<>(Format.class);
        copy.putAll(ranges);
        for (Format format : Format.values()) {
            if (!copy.containsKey(format)) {
                throw new IllegalArgumentException("no version range for the " + format.description());
            }
        }
        ranges = Collections.unmodifiableMap(copy);
    }

    /** This build as released (N): every format at {@value #CURRENT} only. */
    public static SupportedVersions current()
    {
        return uniform(VersionRange.of(CURRENT, CURRENT));
    }

    /** This build simulating the next one (N+1): reads N and N+1. Tests only. */
    public static SupportedVersions bumped()
    {
        return uniform(VersionRange.of(CURRENT, CURRENT + 1));
    }

    /** {@link #bumped()} when the system property {@value #TEST_BUMP_PROPERTY} is {@code true}, else {@link #current()}. */
    public static SupportedVersions thisBuild()
    {
        return Boolean.getBoolean(TEST_BUMP_PROPERTY) ? bumped() : current();
    }

    private static SupportedVersions uniform(VersionRange range)
    {
        Map<Format, VersionRange> ranges = new EnumMap<>(Format.class);
        for (Format format : Format.values()) {
            ranges.put(format, range);
        }
        return new SupportedVersions(ranges);
    }

    public VersionRange range(Format format)
    {
        return ranges.get(requireNonNull(format, "format is null"));
    }

    /**
     * Returns {@code version} if this build reads it.
     *
     * @param what names the thing read, for the message ("of pipeline 'p'")
     * @throws UnsupportedFormatVersionException otherwise
     */
    public int check(Format format, int version, String what)
    {
        VersionRange range = range(format);
        if (!range.contains(version)) {
            throw new UnsupportedFormatVersionException(format, version, range, what);
        }
        return version;
    }

    /**
     * The version of each format to write in a cluster of {@code members} (this node among them or not): the newest
     * every member reads (the minimum of their maxima), never outside this build's own range. A member that cannot
     * read even this build's oldest version gets this build's oldest (it will refuse what it cannot read, loudly).
     */
    public Map<Format, Integer> writable(Collection<SupportedVersions> members)
    {
        requireNonNull(members, "members is null");
        Map<Format, Integer> versions = new EnumMap<>(Format.class);
        for (Format format : Format.values()) {
            int version = range(format).max();
            for (SupportedVersions member : members) {
                version = Math.min(version, member.range(format).max());
            }
            versions.put(format, Math.max(version, range(format).min()));
        }
        return Collections.unmodifiableMap(versions);
    }

    /** {@code changelog=1..2;checkpoint=1..2;...}: what a node advertises to its peers. */
    public String toAttribute()
    {
        StringJoiner text = new StringJoiner(";");
        ranges.forEach((format, range) -> text.add(format.key() + "=" + range));
        return text.toString();
    }

    /**
     * Reads {@link #toAttribute()}. A format the text does not name (and a missing attribute, {@code null}: a build
     * from before formats were versioned) reads version 1 only; a format this build does not know is ignored.
     *
     * @throws IllegalArgumentException when the text is malformed
     */
    public static SupportedVersions fromAttribute(String text)
    {
        Map<Format, VersionRange> ranges = new EnumMap<>(Format.class);
        for (Format format : Format.values()) {
            ranges.put(format, VersionRange.of(1, 1));
        }
        if (text == null || text.isBlank()) {
            return new SupportedVersions(ranges);
        }
        for (String entry : text.split(";")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("not format=range: '" + entry + "' in '" + text + "'");
            }
            VersionRange range = VersionRange.parse(entry.substring(equals + 1));
            Format.ofKey(entry.substring(0, equals).trim()).ifPresent(format -> ranges.put(format, range));
        }
        return new SupportedVersions(ranges);
    }

    @Override
    public String toString()
    {
        return toAttribute();
    }
}
