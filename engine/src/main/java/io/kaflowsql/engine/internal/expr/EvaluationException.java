package io.kaflowsql.engine.internal.expr;

import static java.util.Objects.requireNonNull;

/**
 * A record could not be evaluated (wrong type, overflow, failed cast, division by zero).
 * It is a property of the record, not of the pipeline: the record goes to the dead-letter path and
 * processing continues.
 */
public final class EvaluationException
        extends RuntimeException
{
    public enum Reason
    {
        TYPE_MISMATCH, OVERFLOW, INVALID_CAST, DIVISION_BY_ZERO
    }

    private final Reason reason;

    public EvaluationException(Reason reason, String message)
    {
        super(message, null, false, false);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason()
    {
        return reason;
    }
}
