package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Arithmetic;
import io.kaflowsql.engine.internal.expr.CaseWhen;
import io.kaflowsql.engine.internal.expr.Comparisons;
import io.kaflowsql.engine.internal.expr.Constant;
import io.kaflowsql.engine.internal.expr.EvaluationException;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.expr.InList;
import io.kaflowsql.engine.internal.expr.LikePattern;
import io.kaflowsql.engine.internal.expr.Logic;
import io.kaflowsql.engine.internal.expr.Quantified;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Compiles a Calcite {@link SqlNode} expression into an {@link Evaluator} over column slots, with
 * its static type. Operators are handled here, named functions by {@link FunctionCompiler}. Any
 * subtree that reads no column is evaluated once here and replaced by a {@link Constant}; a constant
 * that fails (e.g. {@code 1/0}) is a compile error. Not thread-safe: lives for one compilation.
 */
final class ExpressionCompiler
{
    private static final Object[][] NO_FRAME = new Object[0][];

    private final QueryText text;
    private final SourceScope scope;
    private final FunctionCompiler functions;

    ExpressionCompiler(QueryText text, SourceScope scope)
    {
        this.text = requireNonNull(text, "text is null");
        this.scope = requireNonNull(scope, "scope is null");
        this.functions = new FunctionCompiler(text, this);
    }

    QueryText text()
    {
        return text;
    }

    TypedExpression compile(SqlNode node)
            throws SqlCompileException
    {
        TypedExpression result = compileNode(node);
        if (!result.constant() || result.evaluator() instanceof Constant) {
            return result;
        }
        try {
            Object value = result.evaluator().evaluate(NO_FRAME);
            SqlType type = value == null ? result.type() : TypedExpression.typeOf(value);
            return new TypedExpression(new Constant(value), type, value == null, true);
        }
        catch (EvaluationException e) {
            throw text.error(node.getParserPosition(), "Constant expression (" + QueryText.render(node) + ") cannot be evaluated: " + e.getMessage(), null);
        }
    }

    List<TypedExpression> compileAll(List<SqlNode> nodes)
            throws SqlCompileException
    {
        List<TypedExpression> result = new ArrayList<>(nodes.size());
        for (SqlNode node : nodes) {
            result.add(compile(node));
        }
        return result;
    }

    /** Compiles a condition (WHERE, CASE WHEN, AND operand): it must be BOOLEAN or of unknown type. */
    TypedExpression compileCondition(SqlNode node, String context)
            throws SqlCompileException
    {
        TypedExpression condition = compile(node);
        if (condition.type() != SqlType.BOOLEAN && condition.type() != SqlType.ANY) {
            throw text.error(node.getParserPosition(), context + " must be a boolean condition but (" + QueryText.render(node) + ") is " + condition.type(), null);
        }
        return condition;
    }

    private TypedExpression compileNode(SqlNode node)
            throws SqlCompileException
    {
        if (node instanceof SqlIdentifier identifier) {
            if (identifier.isStar()) {
                throw text.error(node.getParserPosition(), "'*' is only allowed as a SELECT item", null);
            }
            return new TypedExpression(scope.reference(identifier), SqlType.ANY, true, false);
        }
        if (node instanceof SqlLiteral literal) {
            return Literals.compile(text, literal);
        }
        if (node instanceof SqlSelect || node.getKind() == SqlKind.EXISTS || node.getKind() == SqlKind.SCALAR_QUERY) {
            throw text.error(node.getParserPosition(), "Subqueries are not supported", "use a LEFT JOIN on a keyed topic instead");
        }
        if (node instanceof SqlCase caseNode) {
            return compileCase(caseNode);
        }
        if (node instanceof SqlCall call) {
            return compileCall(call);
        }
        throw text.error(node.getParserPosition(), "Unsupported expression (" + QueryText.render(node) + ")", null);
    }

    private TypedExpression compileCall(SqlCall call)
            throws SqlCompileException
    {
        List<SqlNode> operands = call.getOperandList();
        switch (call.getKind()) {
            case AND:
            case OR:
                return compileConnective(call);
            case NOT:
                TypedExpression negated = compileCondition(operands.get(0), "NOT");
                return TypedExpression.derived(Logic.not(negated.evaluator()), SqlType.BOOLEAN, negated.nullable(), List.of(negated));
            case EQUALS:
                return compileComparison(call, Comparisons.Operator.EQUAL);
            case NOT_EQUALS:
                return compileComparison(call, Comparisons.Operator.NOT_EQUAL);
            case LESS_THAN:
                return compileComparison(call, Comparisons.Operator.LESS_THAN);
            case LESS_THAN_OR_EQUAL:
                return compileComparison(call, Comparisons.Operator.LESS_THAN_OR_EQUAL);
            case GREATER_THAN:
                return compileComparison(call, Comparisons.Operator.GREATER_THAN);
            case GREATER_THAN_OR_EQUAL:
                return compileComparison(call, Comparisons.Operator.GREATER_THAN_OR_EQUAL);
            case IS_NULL:
            case IS_NOT_NULL:
            case IS_TRUE:
            case IS_NOT_TRUE:
            case IS_FALSE:
            case IS_NOT_FALSE:
                return compileTruthTest(call);
            case IS_DISTINCT_FROM:
            case IS_NOT_DISTINCT_FROM:
                return compileDistinctFrom(call);
            case IN:
            case NOT_IN:
                return compileIn(call);
            case SOME:
            case ALL:
                return compileQuantified(call);
            case BETWEEN:
                return compileBetween(call);
            case LIKE:
                return compileLike(call);
            case PLUS:
                return compileArithmetic(call, Arithmetic.Operator.ADD);
            case MINUS:
                return compileArithmetic(call, Arithmetic.Operator.SUBTRACT);
            case TIMES:
                return compileArithmetic(call, Arithmetic.Operator.MULTIPLY);
            case DIVIDE:
                return compileArithmetic(call, Arithmetic.Operator.DIVIDE);
            case MOD:
                return compileArithmetic(call, Arithmetic.Operator.MODULUS);
            case MINUS_PREFIX:
                TypedExpression operand = numeric(operands.get(0), "unary -");
                Evaluator value = operand.evaluator();
                return TypedExpression.derived(frame -> Arithmetic.negate(value.evaluate(frame)), operand.type(), operand.nullable(), List.of(operand));
            case PLUS_PREFIX:
                return numeric(operands.get(0), "unary +");
            case CAST:
                return CastCompiler.compile(this, call);
            case OVER:
                throw text.error(call.getParserPosition(), "Window functions (OVER) are not supported",
                        "pipelines enrich each driving record (see docs)");
            default:
                if (call.getOperator() instanceof SqlFunction || call.getKind() == SqlKind.OTHER || call.getKind() == SqlKind.LITERAL_CHAIN) {
                    return functions.compile(call);
                }
                throw text.error(call.getParserPosition(), "Unsupported operator " + call.getOperator().getName(), null);
        }
    }

    private TypedExpression compileConnective(SqlCall call)
            throws SqlCompileException
    {
        List<SqlNode> flat = new ArrayList<>();
        flatten(call, call.getKind(), flat);
        String name = call.getKind().name();
        List<TypedExpression> terms = new ArrayList<>();
        for (SqlNode node : flat) {
            terms.add(compileCondition(node, name));
        }
        List<Evaluator> evaluators = terms.stream().map(TypedExpression::evaluator).toList();
        Evaluator evaluator = call.getKind() == SqlKind.AND ? Logic.and(evaluators) : Logic.or(evaluators);
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, TypedExpression.anyNullable(terms), terms);
    }

    private static void flatten(SqlNode node, SqlKind kind, List<SqlNode> into)
    {
        if (node.getKind() == kind && node instanceof SqlCall call) {
            for (SqlNode operand : call.getOperandList()) {
                flatten(operand, kind, into);
            }
        }
        else {
            into.add(node);
        }
    }

    private TypedExpression compileComparison(SqlCall call, Comparisons.Operator operator)
            throws SqlCompileException
    {
        TypedExpression left = compile(call.operand(0));
        TypedExpression right = compile(call.operand(1));
        requireComparable(call, left, right);
        Evaluator evaluator = Comparisons.comparison(operator, left.evaluator(), right.evaluator());
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, left.nullable() || right.nullable(), List.of(left, right));
    }

    void requireComparable(SqlCall call, TypedExpression left, TypedExpression right)
            throws SqlCompileException
    {
        if (!StaticTypes.comparable(left.type(), right.type())) {
            throw text.error(call.getParserPosition(), "Cannot compare " + left.type() + " with " + right.type() + " in (" + QueryText.render(call) + ")",
                    "CAST one side to the other's type");
        }
    }

    private TypedExpression compileTruthTest(SqlCall call)
            throws SqlCompileException
    {
        TypedExpression operand = compile(call.operand(0));
        Evaluator value = operand.evaluator();
        Evaluator evaluator = switch (call.getKind()) {
            case IS_NULL -> Logic.isNull(value);
            case IS_NOT_NULL -> Logic.isNotNull(value);
            case IS_TRUE -> Logic.isBoolean(value, true, false);
            case IS_NOT_TRUE -> Logic.isBoolean(value, true, true);
            case IS_FALSE -> Logic.isBoolean(value, false, false);
            default -> Logic.isBoolean(value, false, true);
        };
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, false, List.of(operand));
    }

    private TypedExpression compileDistinctFrom(SqlCall call)
            throws SqlCompileException
    {
        TypedExpression left = compile(call.operand(0));
        TypedExpression right = compile(call.operand(1));
        requireComparable(call, left, right);
        boolean distinct = call.getKind() == SqlKind.IS_DISTINCT_FROM;
        Evaluator l = left.evaluator();
        Evaluator r = right.evaluator();
        Evaluator evaluator = frame -> {
            Object a = l.evaluate(frame);
            Object b = r.evaluate(frame);
            boolean same = a == null || b == null ? a == b : Comparisons.equal(a, b);
            return same != distinct;
        };
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, false, List.of(left, right));
    }

    private TypedExpression compileIn(SqlCall call)
            throws SqlCompileException
    {
        if (!(call.operand(1) instanceof SqlNodeList list)) {
            throw text.error(call.operand(1).getParserPosition(), "IN (subquery) is not supported", "list the values: x IN ('a', 'b')");
        }
        TypedExpression value = compile(call.operand(0));
        List<TypedExpression> items = compileAll(list.getList());
        for (TypedExpression item : items) {
            requireComparable(call, value, item);
        }
        Evaluator in = InList.of(value.evaluator(), items.stream().map(TypedExpression::evaluator).toList());
        Evaluator evaluator = call.getKind() == SqlKind.NOT_IN ? Logic.not(in) : in;
        List<TypedExpression> all = new ArrayList<>(items);
        all.add(value);
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, TypedExpression.anyNullable(all), all);
    }

    private TypedExpression compileQuantified(SqlCall call)
            throws SqlCompileException
    {
        SqlQuantifyOperator operator = (SqlQuantifyOperator) call.getOperator();
        SqlNode right = call.operand(1);
        if (!(right instanceof SqlNodeList list) || list.size() != 1 || list.get(0) instanceof SqlSelect) {
            throw text.error(right.getParserPosition(), "ANY/SOME/ALL takes exactly one array expression, e.g. x = ANY(u.preferences)",
                    "use IN (...) for a list of values; subqueries are not supported");
        }
        Comparisons.Operator comparison = switch (operator.comparisonKind) {
            case EQUALS -> Comparisons.Operator.EQUAL;
            case NOT_EQUALS -> Comparisons.Operator.NOT_EQUAL;
            case LESS_THAN -> Comparisons.Operator.LESS_THAN;
            case LESS_THAN_OR_EQUAL -> Comparisons.Operator.LESS_THAN_OR_EQUAL;
            case GREATER_THAN -> Comparisons.Operator.GREATER_THAN;
            default -> Comparisons.Operator.GREATER_THAN_OR_EQUAL;
        };
        TypedExpression value = compile(call.operand(0));
        TypedExpression array = compile(list.get(0));
        if (array.type() != SqlType.ARRAY && array.type() != SqlType.ANY) {
            throw text.error(list.get(0).getParserPosition(), operator.getName() + " expects an array but (" + QueryText.render(list.get(0)) + ") is " + array.type(), null);
        }
        Evaluator evaluator = call.getKind() == SqlKind.SOME
                ? Quantified.any(comparison, value.evaluator(), array.evaluator())
                : Quantified.all(comparison, value.evaluator(), array.evaluator());
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, true, List.of(value, array));
    }

    private TypedExpression compileBetween(SqlCall call)
            throws SqlCompileException
    {
        SqlBetweenOperator operator = (SqlBetweenOperator) call.getOperator();
        TypedExpression value = compile(call.operand(SqlBetweenOperator.VALUE_OPERAND));
        TypedExpression lower = compile(call.operand(SqlBetweenOperator.LOWER_OPERAND));
        TypedExpression upper = compile(call.operand(SqlBetweenOperator.UPPER_OPERAND));
        requireComparable(call, value, lower);
        requireComparable(call, value, upper);
        Evaluator inRange = Logic.and(List.of(
                Comparisons.comparison(Comparisons.Operator.GREATER_THAN_OR_EQUAL, value.evaluator(), lower.evaluator()),
                Comparisons.comparison(Comparisons.Operator.LESS_THAN_OR_EQUAL, value.evaluator(), upper.evaluator())));
        if (operator.flag == SqlBetweenOperator.Flag.SYMMETRIC) {
            Evaluator swapped = Logic.and(List.of(
                    Comparisons.comparison(Comparisons.Operator.GREATER_THAN_OR_EQUAL, value.evaluator(), upper.evaluator()),
                    Comparisons.comparison(Comparisons.Operator.LESS_THAN_OR_EQUAL, value.evaluator(), lower.evaluator())));
            inRange = Logic.or(List.of(inRange, swapped));
        }
        Evaluator evaluator = operator.isNegated() ? Logic.not(inRange) : inRange;
        List<TypedExpression> all = List.of(value, lower, upper);
        return TypedExpression.derived(evaluator, SqlType.BOOLEAN, TypedExpression.anyNullable(all), all);
    }

    private TypedExpression compileLike(SqlCall call)
            throws SqlCompileException
    {
        SqlLikeOperator operator = (SqlLikeOperator) call.getOperator();
        List<TypedExpression> all = compileAll(call.getOperandList());
        for (TypedExpression operand : all) {
            if (operand.type() != SqlType.VARCHAR && operand.type() != SqlType.ANY) {
                throw text.error(call.getParserPosition(), "LIKE expects VARCHAR operands but got " + operand.type() + " in (" + QueryText.render(call) + ")", null);
            }
        }
        Evaluator escape = all.size() > 2 ? all.get(2).evaluator() : null;
        try {
            Evaluator evaluator = LikePattern.like(all.get(0).evaluator(), all.get(1).evaluator(), escape, operator.isNegated());
            return TypedExpression.derived(evaluator, SqlType.BOOLEAN, TypedExpression.anyNullable(all), all);
        }
        catch (EvaluationException e) {
            throw text.error(call.getParserPosition(), "Invalid LIKE pattern: " + e.getMessage(), null);
        }
    }

    private TypedExpression compileArithmetic(SqlCall call, Arithmetic.Operator operator)
            throws SqlCompileException
    {
        String context = call.getKind() == SqlKind.MOD && call.getOperator() instanceof SqlFunction ? "MOD" : "operator " + operator.sql();
        TypedExpression left = numeric(call.operand(0), context);
        TypedExpression right = numeric(call.operand(1), context);
        SqlType type = StaticTypes.numericResult(left.type(), right.type());
        Evaluator evaluator = Arithmetic.binary(operator, left.evaluator(), right.evaluator());
        return TypedExpression.derived(evaluator, type, left.nullable() || right.nullable(), List.of(left, right));
    }

    /** Compiles an operand that must be numeric (or of unknown type). */
    TypedExpression numeric(SqlNode node, String context)
            throws SqlCompileException
    {
        TypedExpression operand = compile(node);
        if (!StaticTypes.maybeNumeric(operand.type()) && !operand.isNullLiteral()) {
            throw text.error(node.getParserPosition(), context + " expects a number but (" + QueryText.render(node) + ") is " + operand.type(), null);
        }
        return operand;
    }

    private TypedExpression compileCase(SqlCase caseNode)
            throws SqlCompileException
    {
        List<TypedExpression> conditions = new ArrayList<>();
        SqlNode valueOperand = caseNode.getValueOperand();
        for (SqlNode when : caseNode.getWhenOperands()) {
            if (valueOperand != null) {
                // Calcite usually rewrites a simple CASE into comparisons; handle it if it did not
                SqlCall equals = new SqlBasicCall(SqlStdOperatorTable.EQUALS, List.of(valueOperand, when), when.getParserPosition());
                conditions.add(compile(equals));
            }
            else {
                conditions.add(compileCondition(when, "CASE WHEN"));
            }
        }
        List<TypedExpression> results = compileAll(caseNode.getThenOperands().getList());
        SqlNode elseNode = caseNode.getElseOperand();
        TypedExpression otherwise = elseNode == null ? TypedExpression.literal(null) : compile(elseNode);
        List<TypedExpression> branches = new ArrayList<>(results);
        branches.add(otherwise);
        SqlType type = StaticTypes.unify(branches);
        List<Evaluator> resultEvaluators = new ArrayList<>();
        for (TypedExpression result : results) {
            resultEvaluators.add(StaticTypes.coerce(result, type));
        }
        Evaluator evaluator = new CaseWhen(conditions.stream().map(TypedExpression::evaluator).toList(), resultEvaluators,
                StaticTypes.coerce(otherwise, type));
        List<TypedExpression> all = new ArrayList<>(conditions);
        all.addAll(branches);
        return TypedExpression.derived(evaluator, type, TypedExpression.anyNullable(branches), all);
    }
}
