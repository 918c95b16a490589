package io.kaflowsql.engine.internal.runtime;

/** Another owner registered the task's transactional id: this node must stop the task, not retry it. */
final class TaskFencedException
        extends RuntimeException
{
    TaskFencedException(String task, Throwable cause)
    {
        super("task " + task + " was fenced: another node now owns its transactional id (" + cause.getMessage() + ")", cause);
    }
}
