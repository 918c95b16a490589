package io.kaflowsql.engine.internal.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.OVERFLOW;

/**
 * Scalar numeric functions. Arguments are non-null (callers return NULL for NULL input); BIGINT in
 * gives BIGINT out, DOUBLE gives DOUBLE. Stateless and thread-safe.
 */
public final class MathFunctions
{
    private MathFunctions() {}

    public static Object abs(Object value)
    {
        if (value instanceof Long l) {
            if (l == Long.MIN_VALUE) {
                throw new EvaluationException(OVERFLOW, "BIGINT overflow: ABS(" + l + ")");
            }
            return Math.abs(l);
        }
        if (value instanceof Double d) {
            return Math.abs(d);
        }
        throw ValueTypes.mismatch("ABS", "a number", value);
    }

    public static Object floor(Object value)
    {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof Double d) {
            return Math.floor(d);
        }
        throw ValueTypes.mismatch("FLOOR", "a number", value);
    }

    public static Object ceil(Object value)
    {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof Double d) {
            return Math.ceil(d);
        }
        throw ValueTypes.mismatch("CEIL", "a number", value);
    }

    /** ROUND(x, digits), half away from zero; negative digits round to tens, hundreds, ... */
    public static Object round(Object value, Object digits)
    {
        if (!(digits instanceof Long d)) {
            throw ValueTypes.mismatch("ROUND digits", "BIGINT", digits);
        }
        int scale = (int) Math.max(-400, Math.min(400, d));
        if (value instanceof Long l) {
            if (scale >= 0) {
                return l;
            }
            BigDecimal rounded = BigDecimal.valueOf(l).setScale(scale, RoundingMode.HALF_UP);
            try {
                return rounded.longValueExact();
            }
            catch (ArithmeticException e) {
                throw new EvaluationException(OVERFLOW, "BIGINT overflow: ROUND(" + l + ", " + d + ")");
            }
        }
        if (value instanceof Double x) {
            if (!Double.isFinite(x)) {
                return x;
            }
            return BigDecimal.valueOf(x).setScale(scale, RoundingMode.HALF_UP).doubleValue();
        }
        throw ValueTypes.mismatch("ROUND", "a number", value);
    }
}
