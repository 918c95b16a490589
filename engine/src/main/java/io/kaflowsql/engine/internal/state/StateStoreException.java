package io.kaflowsql.engine.internal.state;

/**
 * A state store failed underneath (RocksDB I/O error, corruption, full disk). Fatal for the task
 * that owns the store: the task should stop and be restored from its changelog or a checkpoint, not
 * skip the record.
 */
public final class StateStoreException
        extends RuntimeException
{
    public StateStoreException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
