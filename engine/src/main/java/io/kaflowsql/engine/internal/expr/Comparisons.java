package io.kaflowsql.engine.internal.expr;

import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.TYPE_MISMATCH;
import static java.util.Objects.requireNonNull;

/**
 * SQL comparison of runtime values. Numbers compare numerically across Long and Double (so
 * {@code 1 = 1.0}), strings lexicographically by UTF-16 code unit, booleans FALSE &lt; TRUE; arrays and
 * objects support only (deep) equality. Comparing values of different kinds is a
 * {@link EvaluationException.Reason#TYPE_MISMATCH}: a JSON field that changed type is a bad record,
 * not a silent FALSE. NULL operands yield NULL (three-valued logic). Stateless and thread-safe.
 */
public final class Comparisons
{
    /** A comparison operator; {@link #test} maps a three-way comparison result to its outcome. */
    public enum Operator
    {
        EQUAL("="), NOT_EQUAL("<>"), LESS_THAN("<"), LESS_THAN_OR_EQUAL("<="), GREATER_THAN(">"), GREATER_THAN_OR_EQUAL(">=");

        private final String sql;

        Operator(String sql)
        {
            this.sql = sql;
        }

        public String sql()
        {
            return sql;
        }

        public boolean test(int comparison)
        {
            return switch (this) {
                case EQUAL -> comparison == 0;
                case NOT_EQUAL -> comparison != 0;
                case LESS_THAN -> comparison < 0;
                case LESS_THAN_OR_EQUAL -> comparison <= 0;
                case GREATER_THAN -> comparison > 0;
                case GREATER_THAN_OR_EQUAL -> comparison >= 0;
            };
        }

        /** Applies the operator to two values; NULL if either is NULL. */
        public Boolean apply(Object left, Object right)
        {
            if (left == null || right == null) {
                return null;
            }
            if (this == EQUAL) {
                return equal(left, right);
            }
            if (this == NOT_EQUAL) {
                return !equal(left, right);
            }
            return test(compare(left, right, sql));
        }
    }

    private Comparisons() {}

    public static Evaluator comparison(Operator operator, Evaluator left, Evaluator right)
    {
        requireNonNull(operator, "operator is null");
        requireNonNull(left, "left is null");
        requireNonNull(right, "right is null");
        if (operator == Operator.EQUAL && right instanceof Constant constant && constant.value() instanceof String expected) {
            // the most common predicate shape (column = 'literal') skips the generic dispatch
            return frame -> {
                Object value = left.evaluate(frame);
                if (value instanceof String string) {
                    return string.equals(expected);
                }
                return value == null ? null : equal(value, expected);
            };
        }
        return frame -> operator.apply(left.evaluate(frame), right.evaluate(frame));
    }

    /** Three-way comparison of two non-null values; throws TYPE_MISMATCH for unlike or unordered kinds. */
    public static int compare(Object left, Object right, String operatorSql)
    {
        if (left instanceof Long l && right instanceof Long r) {
            return Long.compare(l, r);
        }
        if (left instanceof Number l && right instanceof Number r) {
            return compareDoubles(l.doubleValue(), r.doubleValue());
        }
        if (left instanceof String l && right instanceof String r) {
            return l.compareTo(r);
        }
        if (left instanceof Boolean l && right instanceof Boolean r) {
            return Boolean.compare(l, r);
        }
        throw new EvaluationException(TYPE_MISMATCH, "cannot compare " + ValueTypes.describe(left) + " " + operatorSql + " " + ValueTypes.describe(right));
    }

    /** SQL equality of two non-null values; throws TYPE_MISMATCH for values of different kinds. */
    public static boolean equal(Object left, Object right)
    {
        if (left instanceof String l && right instanceof String r) {
            return l.equals(r);
        }
        if (left instanceof Long l && right instanceof Long r) {
            return l.longValue() == r.longValue();
        }
        if (left instanceof Number l && right instanceof Number r) {
            return l.doubleValue() == r.doubleValue();
        }
        if (left instanceof Boolean l && right instanceof Boolean r) {
            return l.booleanValue() == r.booleanValue();
        }
        if ((left instanceof List && right instanceof List) || (left instanceof Map && right instanceof Map)) {
            return left.equals(right);
        }
        throw new EvaluationException(TYPE_MISMATCH, "cannot compare " + ValueTypes.describe(left) + " = " + ValueTypes.describe(right));
    }

    private static int compareDoubles(double left, double right)
    {
        if (left < right) {
            return -1;
        }
        if (left > right) {
            return 1;
        }
        // equal (including 0.0 and -0.0), or NaN involved: Double.compare orders NaN last
        return left == right ? 0 : Double.compare(left, right);
    }
}
