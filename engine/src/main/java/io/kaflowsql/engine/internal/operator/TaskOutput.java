package io.kaflowsql.engine.internal.operator;

import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.RejectReason;

/** Where a task's results go. Called on the task's thread. */
public interface TaskOutput
{
    void emit(OutputRecord record);

    /**
     * A record that could not be processed. {@code input} is null when the failure concerns a held
     * record re-evaluated later (its original bytes are no longer at hand).
     */
    void reject(InputRecord input, RejectReason reason, String detail);
}
