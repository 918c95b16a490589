package io.kaflowsql.engine.internal.operator;

/**
 * Sees every emitted result's output values (pipeline-declared metrics over output columns).
 * {@code values[i]} is the value of {@code pipeline.plan().outputs().get(i)} ({@code *} items are null);
 * the array is reused for the next record, so an observer must not keep it.
 *
 * <p>Called on task threads: implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface OutputObserver
{
    OutputObserver NONE = values -> {};

    void observe(Object[] values);
}
