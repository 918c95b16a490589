package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Casts;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;

import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Compiles {@code CAST(x AS type)} onto {@link Casts}. Integer types give BIGINT (range-checked),
 * DOUBLE/FLOAT/REAL/DECIMAL give DOUBLE (DECIMAL(p, s) rounds to s digits), VARCHAR/CHAR give
 * VARCHAR without padding, BOOLEAN gives BOOLEAN. Stateless and thread-safe.
 */
final class CastCompiler
{
    private static final String SUPPORTED = "supported types: VARCHAR, CHAR, BIGINT, INTEGER, INT, SMALLINT, TINYINT, DOUBLE, FLOAT, REAL, DECIMAL(p, s), BOOLEAN";

    private CastCompiler() {}

    static TypedExpression compile(ExpressionCompiler compiler, SqlCall call)
            throws SqlCompileException
    {
        TypedExpression operand = compiler.compile(call.operand(0));
        SqlDataTypeSpec spec = (SqlDataTypeSpec) call.operand(1);
        if (spec.getCollectionsTypeName() != null) {
            throw compiler.text().error(spec.getParserPosition(), "CAST to a collection type is not supported", SUPPORTED);
        }
        String name = spec.getTypeName().getSimple().toUpperCase(Locale.ROOT);
        int precision = -1;
        int scale = -1;
        if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
            precision = basic.getPrecision();
            scale = basic.getScale();
        }
        SqlType type;
        UnaryOperator<Object> conversion;
        switch (name) {
            case "VARCHAR", "CHAR", "CHARACTER" -> {
                type = SqlType.VARCHAR;
                conversion = Casts::toVarchar;
            }
            case "BIGINT" -> {
                type = SqlType.BIGINT;
                conversion = value -> Casts.toInteger(value, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
            }
            case "INTEGER", "INT" -> {
                type = SqlType.BIGINT;
                conversion = value -> Casts.toInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
            }
            case "SMALLINT" -> {
                type = SqlType.BIGINT;
                conversion = value -> Casts.toInteger(value, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
            }
            case "TINYINT" -> {
                type = SqlType.BIGINT;
                conversion = value -> Casts.toInteger(value, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
            }
            case "DOUBLE", "FLOAT", "REAL" -> {
                type = SqlType.DOUBLE;
                conversion = Casts::toDouble;
            }
            case "DECIMAL", "NUMERIC", "DEC" -> {
                type = SqlType.DOUBLE;
                conversion = decimal(precision, scale);
            }
            case "BOOLEAN" -> {
                type = SqlType.BOOLEAN;
                conversion = Casts::toBoolean;
            }
            default -> throw compiler.text().error(spec.getParserPosition(), "CAST to " + spec + " is not supported", SUPPORTED);
        }
        Evaluator input = operand.evaluator();
        UnaryOperator<Object> convert = conversion;
        Evaluator evaluator = frame -> convert.apply(input.evaluate(frame));
        return TypedExpression.derived(evaluator, type, operand.nullable(), List.of(operand));
    }

    private static UnaryOperator<Object> decimal(int precision, int scale)
    {
        if (precision < 0) {
            return Casts::toDouble;
        }
        int digits = Math.max(0, scale);
        return value -> Casts.toDecimal(value, precision, digits);
    }
}
