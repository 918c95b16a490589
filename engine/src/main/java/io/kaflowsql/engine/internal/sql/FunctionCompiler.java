package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Arithmetic;
import io.kaflowsql.engine.internal.expr.Comparisons;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.expr.MathFunctions;
import io.kaflowsql.engine.internal.expr.MurmurHash3;
import io.kaflowsql.engine.internal.expr.StringFunctions;
import io.kaflowsql.engine.internal.expr.ValueTypes;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.fun.SqlTrimFunction;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The registered scalar functions, looked up by upper-cased name. Every function returns NULL
 * when an argument is NULL, except COALESCE (first non-NULL) and NULLIF. {@code CONCAT} and
 * {@code ||} follow the standard {@code ||}: NULL if any operand is NULL; numbers and booleans are
 * concatenated in their canonical string form. {@code HASH(x)} is 32-bit MurmurHash3 (x86_32, seed 0)
 * of the UTF-8 canonical string of x, as a signed BIGINT. Not thread-safe (one per compilation).
 */
final class FunctionCompiler
{
    static final Set<String> SUPPORTED = Set.of("HASH", "MOD", "ABS", "COALESCE", "NULLIF", "LOWER", "UPPER", "TRIM", "LTRIM",
            "RTRIM", "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH", "CONCAT", "||", "SUBSTRING", "ROUND", "FLOOR", "CEIL", "CEILING",
            "CARDINALITY", "GREATEST", "LEAST", "CAST");

    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "AVG", "MIN", "MAX", "COLLECT", "LISTAGG", "ARRAY_AGG",
            "STRING_AGG", "GROUP_CONCAT", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "ANY_VALUE",
            "FIRST_VALUE", "LAST_VALUE", "BIT_AND", "BIT_OR", "EVERY", "BOOL_AND", "BOOL_OR", "APPROX_COUNT_DISTINCT");

    private final QueryText text;
    private final ExpressionCompiler compiler;

    FunctionCompiler(QueryText text, ExpressionCompiler compiler)
    {
        this.text = requireNonNull(text, "text is null");
        this.compiler = requireNonNull(compiler, "compiler is null");
    }

    TypedExpression compile(SqlCall call)
            throws SqlCompileException
    {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (call.getOperator().isAggregator() || AGGREGATES.contains(name)) {
            throw text.error(call.getParserPosition(), "Aggregate function " + name + " is not supported",
                    "pipelines enrich each driving record (see docs)");
        }
        return switch (name) {
            case "HASH" -> scalar(call, 1, SqlType.BIGINT, null,
                    value -> (long) MurmurHash3.hash32(ValueTypes.canonicalString(value, "HASH"), 0));
            case "MOD" -> {
                List<TypedExpression> operands = arguments(call, 2, 2);
                Evaluator evaluator = Arithmetic.binary(Arithmetic.Operator.MODULUS, operands.get(0).evaluator(), operands.get(1).evaluator());
                yield TypedExpression.derived(evaluator, StaticTypes.numericResult(operands.get(0).type(), operands.get(1).type()),
                        TypedExpression.anyNullable(operands), operands);
            }
            case "ABS" -> numericUnary(call, MathFunctions::abs);
            case "FLOOR" -> numericUnary(call, MathFunctions::floor);
            case "CEIL", "CEILING" -> numericUnary(call, MathFunctions::ceil);
            case "ROUND" -> round(call);
            case "COALESCE" -> coalesce(call);
            case "NULLIF" -> nullIf(call);
            case "LOWER" -> scalar(call, 1, SqlType.VARCHAR, SqlType.VARCHAR, StringFunctions::lower);
            case "UPPER" -> scalar(call, 1, SqlType.VARCHAR, SqlType.VARCHAR, StringFunctions::upper);
            case "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH" -> scalar(call, 1, SqlType.BIGINT, SqlType.VARCHAR, StringFunctions::charLength);
            case "LTRIM" -> scalar(call, 1, SqlType.VARCHAR, SqlType.VARCHAR, value -> StringFunctions.trim(value, " ", true, false));
            case "RTRIM" -> scalar(call, 1, SqlType.VARCHAR, SqlType.VARCHAR, value -> StringFunctions.trim(value, " ", false, true));
            case "TRIM" -> trim(call);
            case "CARDINALITY" -> scalar(call, 1, SqlType.BIGINT, SqlType.ARRAY, FunctionCompiler::cardinality);
            case "CONCAT", "||", "$LITERALCHAIN" -> concat(call);
            case "SUBSTRING" -> substring(call);
            case "GREATEST", "LEAST" -> extreme(call, name.equals("GREATEST"));
            default -> throw text.error(call.getParserPosition(), "Unknown function " + name,
                    "supported functions: " + String.join(", ", SUPPORTED.stream().sorted().toList()));
        };
    }

    private List<TypedExpression> arguments(SqlCall call, int min, int max)
            throws SqlCompileException
    {
        int count = call.operandCount();
        if (count < min || count > max) {
            String expected = min == max ? String.valueOf(min) : min + " to " + max;
            throw text.error(call.getParserPosition(), "Function " + call.getOperator().getName().toUpperCase(Locale.ROOT) + " expects "
                    + expected + " argument(s) but got " + count, null);
        }
        return compiler.compileAll(call.getOperandList());
    }

    private void requireType(SqlCall call, TypedExpression operand, SqlType expected)
            throws SqlCompileException
    {
        if (expected != null && operand.type() != expected && operand.type() != SqlType.ANY && !operand.isNullLiteral()) {
            throw text.error(call.getParserPosition(), "Function " + call.getOperator().getName().toUpperCase(Locale.ROOT) + " expects "
                    + expected + " but got " + operand.type(), null);
        }
    }

    /** A function of arguments that are all required non-null; NULL in, NULL out. */
    private TypedExpression scalar(SqlCall call, int arity, SqlType type, SqlType argumentType, UnaryOperator<Object> function)
            throws SqlCompileException
    {
        TypedExpression operand = arguments(call, arity, arity).get(0);
        requireType(call, operand, argumentType);
        Evaluator input = operand.evaluator();
        Evaluator evaluator = frame -> {
            Object value = input.evaluate(frame);
            return value == null ? null : function.apply(value);
        };
        return TypedExpression.derived(evaluator, type, operand.nullable(), List.of(operand));
    }

    private TypedExpression numericUnary(SqlCall call, UnaryOperator<Object> function)
            throws SqlCompileException
    {
        if (call.operandCount() == 2) {
            throw text.error(call.getParserPosition(), call.getOperator().getName() + "(x TO unit) is not supported", "time units have no JSON counterpart");
        }
        TypedExpression operand = arguments(call, 1, 1).get(0);
        if (!StaticTypes.maybeNumeric(operand.type()) && !operand.isNullLiteral()) {
            throw text.error(call.getParserPosition(), "Function " + call.getOperator().getName() + " expects a number but got " + operand.type(), null);
        }
        Evaluator input = operand.evaluator();
        Evaluator evaluator = frame -> {
            Object value = input.evaluate(frame);
            return value == null ? null : function.apply(value);
        };
        return TypedExpression.derived(evaluator, operand.type(), operand.nullable(), List.of(operand));
    }

    private TypedExpression round(SqlCall call)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 1, 2);
        TypedExpression value = operands.get(0);
        Evaluator input = value.evaluator();
        Evaluator digits = operands.size() == 2 ? operands.get(1).evaluator() : frame -> 0L;
        Evaluator evaluator = frame -> {
            Object x = input.evaluate(frame);
            Object d = digits.evaluate(frame);
            return x == null || d == null ? null : MathFunctions.round(x, d);
        };
        return TypedExpression.derived(evaluator, value.type(), TypedExpression.anyNullable(operands), operands);
    }

    private TypedExpression coalesce(SqlCall call)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 1, Integer.MAX_VALUE);
        SqlType type = StaticTypes.unify(operands);
        Evaluator[] alternatives = operands.stream().map(operand -> StaticTypes.coerce(operand, type)).toArray(Evaluator[]::new);
        Evaluator evaluator = frame -> {
            for (Evaluator alternative : alternatives) {
                Object value = alternative.evaluate(frame);
                if (value != null) {
                    return value;
                }
            }
            return null;
        };
        boolean nullable = operands.stream().allMatch(TypedExpression::nullable);
        return TypedExpression.derived(evaluator, type, nullable, operands);
    }

    private TypedExpression nullIf(SqlCall call)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 2, 2);
        compiler.requireComparable(call, operands.get(0), operands.get(1));
        Evaluator first = operands.get(0).evaluator();
        Evaluator second = operands.get(1).evaluator();
        Evaluator evaluator = frame -> {
            Object value = first.evaluate(frame);
            if (value == null) {
                return null;
            }
            Object other = second.evaluate(frame);
            return other != null && Comparisons.equal(value, other) ? null : value;
        };
        return TypedExpression.derived(evaluator, operands.get(0).type(), true, operands);
    }

    private TypedExpression trim(SqlCall call)
            throws SqlCompileException
    {
        // Calcite parses TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) as (flag, chars, s)
        SqlTrimFunction.Flag flag = ((SqlLiteral) call.operand(0)).getValueAs(SqlTrimFunction.Flag.class);
        TypedExpression characters = compiler.compile(call.operand(1));
        TypedExpression operand = compiler.compile(call.operand(2));
        requireType(call, operand, SqlType.VARCHAR);
        requireType(call, characters, SqlType.VARCHAR);
        boolean leading = flag != SqlTrimFunction.Flag.TRAILING;
        boolean trailing = flag != SqlTrimFunction.Flag.LEADING;
        Evaluator input = operand.evaluator();
        Evaluator chars = characters.evaluator();
        Evaluator evaluator = frame -> {
            Object value = input.evaluate(frame);
            Object set = chars.evaluate(frame);
            if (value == null || set == null) {
                return null;
            }
            if (!(set instanceof String trimmed)) {
                throw ValueTypes.mismatch("TRIM characters", "VARCHAR", set);
            }
            return StringFunctions.trim(value, trimmed, leading, trailing);
        };
        List<TypedExpression> operands = List.of(characters, operand);
        return TypedExpression.derived(evaluator, SqlType.VARCHAR, TypedExpression.anyNullable(operands), operands);
    }

    private TypedExpression concat(SqlCall call)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 1, Integer.MAX_VALUE);
        Evaluator[] parts = operands.stream().map(TypedExpression::evaluator).toArray(Evaluator[]::new);
        Evaluator evaluator = frame -> {
            Object[] values = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = parts[i].evaluate(frame);
                if (values[i] == null) {
                    return null;
                }
            }
            return StringFunctions.concat(values);
        };
        return TypedExpression.derived(evaluator, SqlType.VARCHAR, TypedExpression.anyNullable(operands), operands);
    }

    private TypedExpression substring(SqlCall call)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 2, 3);
        requireType(call, operands.get(0), SqlType.VARCHAR);
        Evaluator input = operands.get(0).evaluator();
        Evaluator start = operands.get(1).evaluator();
        Evaluator length = operands.size() == 3 ? operands.get(2).evaluator() : null;
        Evaluator evaluator = frame -> {
            Object value = input.evaluate(frame);
            Object from = start.evaluate(frame);
            Object count = length == null ? null : length.evaluate(frame);
            if (value == null || from == null || (length != null && count == null)) {
                return null;
            }
            return StringFunctions.substring(value, from, count);
        };
        return TypedExpression.derived(evaluator, SqlType.VARCHAR, TypedExpression.anyNullable(operands), operands);
    }

    private TypedExpression extreme(SqlCall call, boolean greatest)
            throws SqlCompileException
    {
        List<TypedExpression> operands = arguments(call, 1, Integer.MAX_VALUE);
        for (TypedExpression operand : operands) {
            compiler.requireComparable(call, operands.get(0), operand);
        }
        SqlType type = StaticTypes.unify(operands);
        Evaluator[] alternatives = operands.stream().map(operand -> StaticTypes.coerce(operand, type)).toArray(Evaluator[]::new);
        String sql = greatest ? "GREATEST" : "LEAST";
        Evaluator evaluator = frame -> {
            Object best = null;
            for (Evaluator alternative : alternatives) {
                Object value = alternative.evaluate(frame);
                if (value == null) {
                    return null;
                }
                if (best == null) {
                    best = value;
                    continue;
                }
                int comparison = Comparisons.compare(value, best, sql);
                if (greatest ? comparison > 0 : comparison < 0) {
                    best = value;
                }
            }
            return best;
        };
        return TypedExpression.derived(evaluator, type, TypedExpression.anyNullable(operands), operands);
    }

    private static Object cardinality(Object value)
    {
        if (value instanceof List<?> list) {
            return (long) list.size();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            return (long) map.size();
        }
        throw ValueTypes.mismatch("CARDINALITY", "an ARRAY", value);
    }
}
