package io.kaflowsql.node.internal.catalog;

/**
 * A catalog record this node cannot use: its value is not a catalog entry, or it was written in a newer format than
 * this build reads ({@link #newerFormat()}: an upgraded node wrote it; upgrade this one). The reader logs it and keeps
 * the last entry it knows for the name.
 */
public final class CatalogRecordException
        extends RuntimeException
{
    private final boolean newerFormat;

    CatalogRecordException(String message, boolean newerFormat)
    {
        super(message);
        this.newerFormat = newerFormat;
    }

    CatalogRecordException(String message, Throwable cause)
    {
        super(message, cause);
        this.newerFormat = false;
    }

    public boolean newerFormat()
    {
        return newerFormat;
    }
}
