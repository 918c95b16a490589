package io.kaflowsql.engine.internal.expr;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.DIVISION_BY_ZERO;
import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.OVERFLOW;
import static java.util.Objects.requireNonNull;

/**
 * SQL arithmetic over the value model: BIGINT op BIGINT stays BIGINT (overflow is an
 * {@link EvaluationException.Reason#OVERFLOW}, division truncates toward zero), anything involving a
 * DOUBLE is DOUBLE (a non-finite result is an overflow: JSON cannot carry it), division or modulus by
 * zero is {@link EvaluationException.Reason#DIVISION_BY_ZERO}, NULL propagates, non-numbers are a
 * type mismatch. Stateless and thread-safe.
 */
public final class Arithmetic
{
    public enum Operator
    {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULUS("%");

        private final String sql;

        Operator(String sql)
        {
            this.sql = sql;
        }

        public String sql()
        {
            return sql;
        }
    }

    private Arithmetic() {}

    public static Evaluator binary(Operator operator, Evaluator left, Evaluator right)
    {
        requireNonNull(operator, "operator is null");
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        return switch (operator) {
            case ADD -> frame -> add(left.evaluate(frame), right.evaluate(frame));
            case SUBTRACT -> frame -> subtract(left.evaluate(frame), right.evaluate(frame));
            case MULTIPLY -> frame -> multiply(left.evaluate(frame), right.evaluate(frame));
            case DIVIDE -> frame -> divide(left.evaluate(frame), right.evaluate(frame));
            case MODULUS -> frame -> modulus(left.evaluate(frame), right.evaluate(frame));
        };
    }

    public static Object add(Object left, Object right)
    {
        if (left instanceof Long l && right instanceof Long r) {
            try {
                return Math.addExact(l, r);
            }
            catch (ArithmeticException e) {
                throw overflow(l, "+", r);
            }
        }
        return left == null || right == null ? null : finite(toDouble(left, "+") + toDouble(right, "+"), left, "+", right);
    }

    public static Object subtract(Object left, Object right)
    {
        if (left instanceof Long l && right instanceof Long r) {
            try {
                return Math.subtractExact(l, r);
            }
            catch (ArithmeticException e) {
                throw overflow(l, "-", r);
            }
        }
        return left == null || right == null ? null : finite(toDouble(left, "-") - toDouble(right, "-"), left, "-", right);
    }

    public static Object multiply(Object left, Object right)
    {
        if (left instanceof Long l && right instanceof Long r) {
            try {
                return Math.multiplyExact(l, r);
            }
            catch (ArithmeticException e) {
                throw overflow(l, "*", r);
            }
        }
        return left == null || right == null ? null : finite(toDouble(left, "*") * toDouble(right, "*"), left, "*", right);
    }

    public static Object divide(Object left, Object right)
    {
        if (left instanceof Long l && right instanceof Long r) {
            if (r == 0) {
                throw divisionByZero(l, "/");
            }
            if (l == Long.MIN_VALUE && r == -1) {
                throw overflow(l, "/", r);
            }
            return l / r;
        }
        if (left == null || right == null) {
            return null;
        }
        double divisor = toDouble(right, "/");
        double dividend = toDouble(left, "/");
        if (divisor == 0) {
            throw divisionByZero(left, "/");
        }
        return finite(dividend / divisor, left, "/", right);
    }

    public static Object modulus(Object left, Object right)
    {
        if (left instanceof Long l && right instanceof Long r) {
            if (r == 0) {
                throw divisionByZero(l, "%");
            }
            // Long.MIN_VALUE % -1 is 0 in Java, which is also the SQL answer
            return l % r;
        }
        if (left == null || right == null) {
            return null;
        }
        double divisor = toDouble(right, "%");
        double dividend = toDouble(left, "%");
        if (divisor == 0) {
            throw divisionByZero(left, "%");
        }
        return dividend % divisor;
    }

    public static Object negate(Object value)
    {
        if (value instanceof Long l) {
            if (l == Long.MIN_VALUE) {
                throw new EvaluationException(OVERFLOW, "BIGINT overflow: -(" + l + ")");
            }
            return -l;
        }
        if (value instanceof Double d) {
            return -d;
        }
        if (value == null) {
            return null;
        }
        throw ValueTypes.mismatch("unary -", "a number", value);
    }

    static double toDouble(Object value, String operatorSql)
    {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw ValueTypes.mismatch("operator " + operatorSql, "numbers", value);
    }

    private static Double finite(double result, Object left, String operatorSql, Object right)
    {
        if (!Double.isFinite(result)) {
            throw new EvaluationException(OVERFLOW, "DOUBLE overflow: " + left + " " + operatorSql + " " + right);
        }
        return result;
    }

    private static EvaluationException overflow(Object left, String operatorSql, Object right)
    {
        return new EvaluationException(OVERFLOW, "BIGINT overflow: " + left + " " + operatorSql + " " + right);
    }

    private static EvaluationException divisionByZero(Object dividend, String operatorSql)
    {
        return new EvaluationException(DIVISION_BY_ZERO, "division by zero: " + dividend + " " + operatorSql + " 0");
    }
}
