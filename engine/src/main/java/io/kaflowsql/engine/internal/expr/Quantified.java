package io.kaflowsql.engine.internal.expr;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code x <op> ANY(array)} and {@code x <op> ALL(array)} over a JSON array value.
 * ANY: TRUE if some element satisfies the comparison; otherwise NULL if the array or x is NULL or
 * some comparison was NULL (non-empty array); otherwise FALSE. ALL: FALSE if some element fails;
 * otherwise NULL if the array is NULL or some comparison was NULL; otherwise TRUE (so an empty
 * array gives ANY = FALSE, ALL = TRUE). Stateless and thread-safe.
 */
public final class Quantified
{
    private Quantified() {}

    public static Evaluator any(Comparisons.Operator operator, Evaluator value, Evaluator array)
    {
        requireNonNull(operator, "operator is null");
        return frame -> {
            List<?> elements = elements(array.evaluate(frame), operator, "ANY");
            if (elements == null) {
                return null;
            }
            Object probe = value.evaluate(frame);
            boolean sawNull = false;
            for (Object element : elements) {
                Boolean result = operator.apply(probe, element);
                if (result == null) {
                    sawNull = true;
                }
                else if (result) {
                    return Boolean.TRUE;
                }
            }
            return sawNull ? null : Boolean.FALSE;
        };
    }

    public static Evaluator all(Comparisons.Operator operator, Evaluator value, Evaluator array)
    {
        requireNonNull(operator, "operator is null");
        return frame -> {
            List<?> elements = elements(array.evaluate(frame), operator, "ALL");
            if (elements == null) {
                return null;
            }
            Object probe = value.evaluate(frame);
            boolean sawNull = false;
            for (Object element : elements) {
                Boolean result = operator.apply(probe, element);
                if (result == null) {
                    sawNull = true;
                }
                else if (!result) {
                    return Boolean.FALSE;
                }
            }
            return sawNull ? null : Boolean.TRUE;
        };
    }

    private static List<?> elements(Object array, Comparisons.Operator operator, String quantifier)
    {
        if (array == null || array instanceof List) {
            return (List<?>) array;
        }
        throw ValueTypes.mismatch(operator.sql() + " " + quantifier + "(...)", "an ARRAY", array);
    }
}
