package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Constant;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.plan.SqlType;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Static typing rules of the compiler. Source columns are {@link SqlType#ANY} (schema-less JSON),
 * so a rule only rejects what is wrong whatever the data, and otherwise leaves the check to run
 * time. Stateless and thread-safe.
 */
final class StaticTypes
{
    private StaticTypes() {}

    static boolean comparable(SqlType left, SqlType right)
    {
        return left == SqlType.ANY || right == SqlType.ANY || left == right || (isNumeric(left) && isNumeric(right));
    }

    static boolean isNumeric(SqlType type)
    {
        return type == SqlType.BIGINT || type == SqlType.DOUBLE;
    }

    static boolean maybeNumeric(SqlType type)
    {
        return isNumeric(type) || type == SqlType.ANY;
    }

    /** BIGINT op BIGINT is BIGINT, anything with a DOUBLE is DOUBLE, otherwise it depends on the data. */
    static SqlType numericResult(SqlType left, SqlType right)
    {
        if (left == SqlType.BIGINT && right == SqlType.BIGINT) {
            return SqlType.BIGINT;
        }
        if (left == SqlType.DOUBLE || right == SqlType.DOUBLE) {
            return SqlType.DOUBLE;
        }
        return SqlType.ANY;
    }

    /**
     * The common type of alternative results (CASE branches, COALESCE arguments): NULL literals
     * adapt, BIGINT and DOUBLE widen to DOUBLE, anything else mixed is ANY.
     */
    static SqlType unify(List<TypedExpression> alternatives)
    {
        Set<SqlType> types = EnumSet.noneOf(SqlType.class);
        for (TypedExpression alternative : alternatives) {
            if (!alternative.isNullLiteral()) {
                types.add(alternative.type());
            }
        }
        if (types.size() == 1) {
            return types.iterator().next();
        }
        if (types.equals(EnumSet.of(SqlType.BIGINT, SqlType.DOUBLE))) {
            return SqlType.DOUBLE;
        }
        return SqlType.ANY;
    }

    /** The evaluator of an alternative converted to the unified type (only BIGINT to DOUBLE widens). */
    static Evaluator coerce(TypedExpression alternative, SqlType type)
    {
        Evaluator evaluator = alternative.evaluator();
        if (type != SqlType.DOUBLE || alternative.type() != SqlType.BIGINT) {
            return evaluator;
        }
        if (evaluator instanceof Constant constant && constant.value() instanceof Long value) {
            return new Constant(value.doubleValue());
        }
        return frame -> {
            Object value = evaluator.evaluate(frame);
            return value instanceof Long l ? (Object) l.doubleValue() : value;
        };
    }
}
