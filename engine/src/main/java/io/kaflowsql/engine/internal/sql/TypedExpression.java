package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Constant;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.plan.SqlType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A compiled expression with what the compiler knows statically about it.
 *
 * @param type the static type; {@link SqlType#ANY} when it depends on the data
 * @param nullable false only when the value is provably never NULL
 * @param constant true when the expression reads no column (it is folded to a {@link Constant})
 */
record TypedExpression(Evaluator evaluator, SqlType type, boolean nullable, boolean constant)
{
    TypedExpression
    {
        requireNonNull(evaluator, "evaluator is null");
        requireNonNull(type, "type is null");
    }

    static TypedExpression literal(Object value)
    {
        return new TypedExpression(new Constant(value), typeOf(value), value == null, true);
    }

    /** An expression derived from operands: constant when all of them are. */
    static TypedExpression derived(Evaluator evaluator, SqlType type, boolean nullable, List<TypedExpression> operands)
    {
        boolean constant = operands.stream().allMatch(TypedExpression::constant);
        return new TypedExpression(evaluator, type, nullable, constant);
    }

    static boolean anyNullable(List<TypedExpression> operands)
    {
        return operands.stream().anyMatch(TypedExpression::nullable);
    }

    /** True for the literal NULL, which takes whatever type its context needs. */
    boolean isNullLiteral()
    {
        return evaluator instanceof Constant c && c.value() == null;
    }

    static SqlType typeOf(Object value)
    {
        if (value instanceof String) {
            return SqlType.VARCHAR;
        }
        if (value instanceof Long) {
            return SqlType.BIGINT;
        }
        if (value instanceof Double) {
            return SqlType.DOUBLE;
        }
        if (value instanceof Boolean) {
            return SqlType.BOOLEAN;
        }
        if (value instanceof List) {
            return SqlType.ARRAY;
        }
        // NULL, nested objects and anything else: known only at run time
        return SqlType.ANY;
    }
}
