package io.kaflowsql.engine.internal.state;

/**
 * Receives every change of a task's state as a changelog record (key, value; a null value deletes the
 * key). The runtime sends them to the task's partition of the pipeline's compacted changelog topic in the
 * task's transaction. Called on the task's thread.
 */
@FunctionalInterface
public interface ChangeLogger
{
    void append(byte[] key, byte[] value);
}
