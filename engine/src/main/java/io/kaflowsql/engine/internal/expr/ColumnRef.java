package io.kaflowsql.engine.internal.expr;

/**
 * Reads one column slot of one source: {@code frame[sourceIndex][slot]}. A missed lookup
 * ({@code frame[sourceIndex] == null}) reads as NULL. Immutable and thread-safe.
 */
public record ColumnRef(int sourceIndex, int slot)
        implements Evaluator
{
    public ColumnRef
    {
        if (sourceIndex < 0 || slot < 0) {
            throw new IllegalArgumentException("sourceIndex and slot must be >= 0");
        }
    }

    @Override
    public Object evaluate(Object[][] frame)
    {
        Object[] row = frame[sourceIndex];
        return row == null ? null : row[slot];
    }
}
