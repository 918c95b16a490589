package io.kaflowsql.protocol;

/**
 * The versions of one format a build can read: {@code min..max}, both inclusive. Immutable.
 */
public record VersionRange(int min, int max)
{
    public VersionRange
    {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("a version range needs 1 <= min <= max, got " + min + ".." + max);
        }
    }

    public static VersionRange of(int min, int max)
    {
        return new VersionRange(min, max);
    }

    public boolean contains(int version)
    {
        return version >= min && version <= max;
    }

    /** Reads {@link #toString()} ({@code "1..2"}, or {@code "1"} for a single version). */
    public static VersionRange parse(String text)
    {
        String trimmed = text.trim();
        int dots = trimmed.indexOf("..");
        try {
            if (dots < 0) {
                int version = Integer.parseInt(trimmed);
                return new VersionRange(version, version);
            }
            return new VersionRange(Integer.parseInt(trimmed.substring(0, dots)), Integer.parseInt(trimmed.substring(dots + 2)));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a version range (like 1..2): '" + text + "'", e);
        }
    }

    @Override
    public String toString()
    {
        return min == max ? Integer.toString(min) : min + ".." + max;
    }
}
