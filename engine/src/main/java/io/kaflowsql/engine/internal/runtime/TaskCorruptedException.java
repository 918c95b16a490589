package io.kaflowsql.engine.internal.runtime;

/**
 * A send or commit of a task failed and its open transaction was aborted: its local state may hold
 * uncommitted changes, so the task is rebuilt from checkpoint and changelog and resumes from the
 * committed input offsets.
 */
final class TaskCorruptedException
        extends RuntimeException
{
    TaskCorruptedException(String task, Throwable cause)
    {
        super("task " + task + " failed to commit: " + cause.getMessage(), cause);
    }
}
