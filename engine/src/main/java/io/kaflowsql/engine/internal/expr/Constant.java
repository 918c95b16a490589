package io.kaflowsql.engine.internal.expr;

/**
 * A value known at compile time (a literal or a folded literal subtree). Immutable and thread-safe.
 * The compiler recognises it by type to fold enclosing expressions and to build set probes.
 */
public record Constant(Object value)
        implements Evaluator
{
    public static final Constant NULL = new Constant(null);
    public static final Constant TRUE = new Constant(Boolean.TRUE);
    public static final Constant FALSE = new Constant(Boolean.FALSE);

    @Override
    public Object evaluate(Object[][] frame)
    {
        return value;
    }
}
