package io.kaflowsql.engine.internal.state;

import java.io.IOException;

/** A dimension snapshot file that cannot be used: wrong magic, version, pipeline or fingerprint, or corrupt. */
public final class InvalidDimensionSnapshotException
        extends IOException
{
    public InvalidDimensionSnapshotException(String message)
    {
        super(message);
    }
}
