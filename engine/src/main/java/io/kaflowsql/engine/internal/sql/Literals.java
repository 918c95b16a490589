package io.kaflowsql.engine.internal.sql;

import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;

/**
 * Literals of the value model: a quoted string is a String (never padded CHAR), an integer a Long,
 * a decimal or approximate number a Double; TRUE, FALSE and NULL. Typed literals such as
 * {@code TIMESTAMP '...'} have no counterpart in JSON and are rejected. Stateless and thread-safe.
 */
final class Literals
{
    private Literals() {}

    static TypedExpression compile(QueryText text, SqlLiteral literal)
            throws SqlCompileException
    {
        SqlTypeName typeName = literal.getTypeName();
        if (typeName == SqlTypeName.NULL) {
            return TypedExpression.literal(null);
        }
        if (typeName == SqlTypeName.BOOLEAN) {
            return TypedExpression.literal(literal.booleanValue());
        }
        if (literal instanceof SqlCharStringLiteral string) {
            return TypedExpression.literal(string.getValueAs(String.class));
        }
        if (literal instanceof SqlNumericLiteral number) {
            BigDecimal value = number.getValueAs(BigDecimal.class);
            if (number.isExact() && value.scale() <= 0) {
                try {
                    return TypedExpression.literal(value.longValueExact());
                }
                catch (ArithmeticException e) {
                    throw text.error(literal.getParserPosition(), "Integer literal " + value + " is out of BIGINT range", "write it as a decimal (" + value + ".0)");
                }
            }
            return TypedExpression.literal(value.doubleValue());
        }
        throw text.error(literal.getParserPosition(), "Literal " + literal + " is not supported",
                "JSON fields are strings, numbers and booleans: compare with a string or number literal (e.g. c.`timestamp` > '2025-01-01T00:00:00Z')");
    }
}
