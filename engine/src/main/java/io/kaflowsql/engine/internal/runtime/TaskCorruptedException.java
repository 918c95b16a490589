package io.kaflowsql.engine.internal.runtime;

/**
 * A send or commit of a task failed and its open transaction was aborted (or processing cannot go on
 * for now, e.g. the schema registry is unreachable): its local state may hold
 * uncommitted changes, so the task is rebuilt from checkpoint and changelog and resumes from the
 * committed input offsets.
 */
final class TaskCorruptedException
        extends RuntimeException
{
    TaskCorruptedException(String task, Throwable cause)
    {
        this(task, "failed to commit", cause);
    }

    TaskCorruptedException(String task, String reason, Throwable cause)
    {
        super("task " + task + " " + reason + ": " + cause.getMessage(), cause);
    }
}
