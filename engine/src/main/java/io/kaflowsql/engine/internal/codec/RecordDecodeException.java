package io.kaflowsql.engine.internal.codec;

/** A record's bytes are not a value this pipeline can read (not JSON, not an object, bad UTF-8...). */
public final class RecordDecodeException
        extends Exception
{
    public RecordDecodeException(String message, Throwable cause)
    {
        super(message, cause, false, false);
    }
}
