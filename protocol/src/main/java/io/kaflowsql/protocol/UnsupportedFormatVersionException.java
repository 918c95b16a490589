package io.kaflowsql.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Something stored or sent in a version of its format this build cannot read. Thrown instead of parsing it, so that
 * a node never misreads data of a version it does not know. The message names the format, the version seen, the
 * versions this build reads, and what to do.
 */
public final class UnsupportedFormatVersionException
        extends RuntimeException
{
    private final Format format;
    private final int version;
    private final VersionRange supported;

    public UnsupportedFormatVersionException(Format format, int version, VersionRange supported, String what)
    {
        super(message(format, version, supported, what));
        this.format = requireNonNull(format, "format is null");
        this.version = version;
        this.supported = requireNonNull(supported, "supported is null");
    }

    public Format format()
    {
        return format;
    }

    public int version()
    {
        return version;
    }

    public VersionRange supported()
    {
        return supported;
    }

    private static String message(Format format, int version, VersionRange supported, String what)
    {
        String advice = version > supported.max()
                ? "a newer KaflowSQL wrote it; upgrade this node (nodes interoperate only with the adjacent version)"
                : "an older KaflowSQL wrote it, older than this version still reads; upgrade through the intermediate versions";
        return format.description() + " " + (what == null || what.isEmpty() ? "" : what + " ") + "has format version " + version
                + ", this node reads versions " + supported + ": " + advice;
    }
}
