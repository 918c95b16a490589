package io.kaflowsql.engine.internal.expr;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Boolean connectives and truth tests with SQL three-valued logic: {@code FALSE AND NULL} is FALSE,
 * {@code TRUE OR NULL} is TRUE, {@code NOT NULL} is NULL. AND/OR evaluate left to right and stop at
 * the first deciding operand. A non-boolean operand is a type mismatch. Stateless and thread-safe.
 */
public final class Logic
{
    private Logic() {}

    public static Evaluator and(List<Evaluator> operands)
    {
        Evaluator[] terms = operands.toArray(Evaluator[]::new);
        return frame -> {
            boolean sawNull = false;
            for (Evaluator term : terms) {
                Boolean value = ValueTypes.asBoolean(term.evaluate(frame), "AND");
                if (value == null) {
                    sawNull = true;
                }
                else if (!value) {
                    return Boolean.FALSE;
                }
            }
            return sawNull ? null : Boolean.TRUE;
        };
    }

    public static Evaluator or(List<Evaluator> operands)
    {
        Evaluator[] terms = operands.toArray(Evaluator[]::new);
        return frame -> {
            boolean sawNull = false;
            for (Evaluator term : terms) {
                Boolean value = ValueTypes.asBoolean(term.evaluate(frame), "OR");
                if (value == null) {
                    sawNull = true;
                }
                else if (value) {
                    return Boolean.TRUE;
                }
            }
            return sawNull ? null : Boolean.FALSE;
        };
    }

    public static Evaluator not(Evaluator operand)
    {
        requireNonNull(operand, "operand is null");
        return frame -> {
            Boolean value = ValueTypes.asBoolean(operand.evaluate(frame), "NOT");
            return value == null ? null : !value;
        };
    }

    public static Evaluator isNull(Evaluator operand)
    {
        return frame -> operand.evaluate(frame) == null;
    }

    public static Evaluator isNotNull(Evaluator operand)
    {
        return frame -> operand.evaluate(frame) != null;
    }

    /** {@code x IS [NOT] TRUE|FALSE}: never NULL. */
    public static Evaluator isBoolean(Evaluator operand, boolean expected, boolean negated)
    {
        requireNonNull(operand, "operand is null");
        String context = "IS " + (negated ? "NOT " : "") + (expected ? "TRUE" : "FALSE");
        return frame -> {
            Boolean value = ValueTypes.asBoolean(operand.evaluate(frame), context);
            boolean matches = value != null && value == expected;
            return matches != negated;
        };
    }

    /**
     * Makes a predicate strict: a non-null non-boolean value (a column of unknown type used as a
     * condition) is a type mismatch rather than being read as "not true".
     */
    public static Evaluator requireBoolean(Evaluator operand, String context)
    {
        requireNonNull(operand, "operand is null");
        return frame -> ValueTypes.asBoolean(operand.evaluate(frame), context);
    }
}
