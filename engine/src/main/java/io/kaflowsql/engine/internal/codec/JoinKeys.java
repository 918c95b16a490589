package io.kaflowsql.engine.internal.codec;

import io.kaflowsql.engine.internal.expr.EvaluationException;

/**
 * The canonical string form of a join key, used for lookups, state keys and Kafka-key checks, so that
 * SQL equality holds across JSON types: {@code 5}, {@code 5.0} and {@code "5"} all key as {@code 5}.
 */
public final class JoinKeys
{
    private JoinKeys() {}

    /** Canonical key of a value, or null for SQL NULL (which never matches). */
    public static String canonical(Object value)
    {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Long number) {
            return Long.toString(number);
        }
        if (value instanceof Double number) {
            double d = number;
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
                return Long.toString((long) d);
            }
            return Double.toString(d);
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        throw new EvaluationException(EvaluationException.Reason.TYPE_MISMATCH,
                "a join key must be a string, number or boolean, got " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
}
