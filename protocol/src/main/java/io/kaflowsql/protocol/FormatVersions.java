package io.kaflowsql.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The one place a node keeps which versions of each {@link Format} it reads ({@link #supported()}, fixed for the
 * build) and which it writes now ({@link #write}, negotiated with the cluster). Every writer of a versioned format asks
 * {@link #write} at the moment it writes; every reader checks what it reads against {@link #supported()}.
 *
 * <p>Until the node knows its cluster it writes the oldest version it reads, which every adjacent-version peer reads
 * too; {@link #negotiate} then moves each format to the newest version all members read (a standalone node negotiates
 * with itself). So an N+1 node writes N while an N node is a member and switches when the last one has left.
 *
 * <p>Thread-safe: writers read a volatile snapshot; {@link #negotiate} is synchronized.
 */
public final class FormatVersions
{
    /** A format whose written version changed. */
    public record Switch(Format format, int from, int to)
    {
        @Override
        public String toString()
        {
            return format.key() + " " + from + " -> " + to;
        }
    }

    private final SupportedVersions supported;
    private volatile Map<Format, Integer> writing;

    private FormatVersions(SupportedVersions supported)
    {
        this.supported = requireNonNull(supported, "supported is null");
        Map<Format, Integer> oldest = new EnumMap<>(Format.class);
        supported.ranges().forEach((format, range) -> oldest.put(format, range.min()));
        this.writing = Collections.unmodifiableMap(oldest);
    }

    /** Versions of a build that reads {@code supported}, writing the oldest of each until {@link #negotiate}d. */
    public static FormatVersions of(SupportedVersions supported)
    {
        return new FormatVersions(supported);
    }

    /** {@link #of} {@link SupportedVersions#thisBuild()}. */
    public static FormatVersions forThisBuild()
    {
        return of(SupportedVersions.thisBuild());
    }

    /** Versions of a node alone: it writes the newest of each format it reads. */
    public static FormatVersions standalone(SupportedVersions supported)
    {
        FormatVersions versions = of(supported);
        versions.negotiate(List.of(supported));
        return versions;
    }

    public SupportedVersions supported()
    {
        return supported;
    }

    /** The version {@code format} is written in now. */
    public int write(Format format)
    {
        return writing.get(requireNonNull(format, "format is null"));
    }

    /** Every format's written version now. */
    public Map<Format, Integer> writing()
    {
        return writing;
    }

    /**
     * Moves to the versions a cluster of {@code members} reads ({@link SupportedVersions#writable}); returns the
     * formats whose version changed, for the caller to log.
     */
    public synchronized List<Switch> negotiate(Collection<SupportedVersions> members)
    {
        Map<Format, Integer> next = supported.writable(members);
        List<Switch> switches = new ArrayList<>();
        for (Format format : Format.values()) {
            int before = writing.get(format);
            int after = next.get(format);
            if (before != after) {
                switches.add(new Switch(format, before, after));
            }
        }
        if (!switches.isEmpty()) {
            writing = next;
        }
        return List.copyOf(switches);
    }

    @Override
    public String toString()
    {
        return "reads " + supported + ", writes " + writing;
    }
}
