package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.expr.Logic;
import io.kaflowsql.engine.internal.plan.JoinPlan;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.config.Lex;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Compiles a pipeline query into a {@link QueryPlan}. Thread-safe: it holds no state; each call
 * builds its own parser and scope.
 *
 * <p>Accepted shape: {@code SELECT <items> FROM <topic> [alias] { LEFT JOIN <topic> [alias] ON
 * <key> = <alias>.<column> } [WHERE <condition>]}. The first table is the driving stream, each
 * joined source is looked up by its join column. GROUP BY, HAVING, ORDER BY, LIMIT, DISTINCT, set
 * operations, subqueries, aggregates, window functions and joins other than LEFT JOIN are rejected
 * with a message and position.
 *
 * <p>Column references: {@code alias.column}, or an unqualified {@code column}, which belongs to
 * the only source of a single-source query and otherwise to the driving stream (write
 * {@code alias.column} for a joined source). Every referenced column is pushed down
 * ({@code SourcePlan.columns}, in first-reference order: SELECT, then ON, then WHERE).
 *
 * <p>The query is parsed by Calcite ({@link Lex#MYSQL}: identifiers keep their case, backticks
 * quote) after {@link ReservedWordQuoter} quoted reserved words used as column names such as
 * {@code timestamp}; Calcite's validator is not used (topics are schema-less JSON), the parse tree
 * is compiled directly into evaluators. Error positions refer to the original text.
 */
public final class QueryCompiler
{
    private static final SqlParser.Config PARSER_CONFIG = SqlParser.config()
            .withLex(Lex.MYSQL)
            .withUnquotedCasing(Casing.UNCHANGED)
            .withConformance(SqlConformanceEnum.LENIENT);
    private static final int MAX_EXPECTED_TOKENS_SHOWN = 8;

    public QueryCompiler() {}

    /** Compiles a pipeline query. Thread-safe. */
    public QueryPlan compile(String sql)
            throws SqlCompileException
    {
        requireNonNull(sql, "sql is null");
        if (sql.isBlank()) {
            throw new SqlCompileException("The query is empty; write SELECT ... FROM <topic>", 0, 0);
        }
        QueryText text = ReservedWordQuoter.rewrite(sql);
        SqlSelect select = requireSelect(text, parse(text));
        rejectUnsupportedClauses(text, select);
        if (select.getFrom() == null) {
            throw text.error(select.getParserPosition(), "The query has no FROM clause", "name the driving topic: SELECT ... FROM <topic>");
        }
        SourceScope scope = new SourceScope(text);
        FromClause from = FromClause.register(text, scope, select.getFrom());
        ExpressionCompiler expressions = new ExpressionCompiler(text, scope);
        List<OutputItem> outputs = SelectList.compile(text, scope, expressions, select.getSelectList());
        List<JoinPlan> joins = from.compileJoins();
        Evaluator where = null;
        Set<Integer> whereSources = Set.of();
        if (select.getWhere() != null) {
            scope.startCapture();
            TypedExpression condition = expressions.compileCondition(select.getWhere(), "WHERE");
            whereSources = scope.stopCapture();
            where = condition.type() == SqlType.ANY ? Logic.requireBoolean(condition.evaluator(), "WHERE") : condition.evaluator();
        }
        return new QueryPlan(sql, scope.toPlans(joins), where, whereSources, outputs);
    }

    private static SqlNode parse(QueryText text)
            throws SqlCompileException
    {
        try {
            return SqlParser.create(text.parsed(), PARSER_CONFIG).parseQuery();
        }
        catch (SqlParseException e) {
            String message = e.getMessage() == null ? "Syntax error" : e.getMessage().lines().findFirst().orElse("Syntax error");
            message = message.replaceAll(" at line \\d+, column \\d+\\.?", "").replace("`", "").trim();
            return throwParseError(text, e.getPos(), message, e.getExpectedTokenNames());
        }
    }

    private static SqlNode throwParseError(QueryText text, SqlParserPos pos, String message, Collection<String> expected)
            throws SqlCompileException
    {
        String hint = null;
        if (expected != null && !expected.isEmpty() && expected.size() <= MAX_EXPECTED_TOKENS_SHOWN) {
            hint = "expected one of: " + String.join(", ", expected);
        }
        throw text.error(pos, "Syntax error: " + message, hint);
    }

    private static SqlSelect requireSelect(QueryText text, SqlNode node)
            throws SqlCompileException
    {
        if (node instanceof SqlSelect select) {
            return select;
        }
        if (node instanceof SqlOrderBy orderBy) {
            if (orderBy.orderList != null && !orderBy.orderList.isEmpty()) {
                throw text.error(orderBy.orderList.getParserPosition(), "ORDER BY is not supported", "a pipeline emits records in arrival order");
            }
            SqlNode limit = orderBy.fetch != null ? orderBy.fetch : orderBy.offset;
            throw text.error(limit == null ? orderBy.getParserPosition() : limit.getParserPosition(), "LIMIT/OFFSET is not supported",
                    "a pipeline processes every driving record; filter with WHERE");
        }
        SqlKind kind = node.getKind();
        if (kind == SqlKind.UNION || kind == SqlKind.INTERSECT || kind == SqlKind.EXCEPT || kind == SqlKind.MINUS) {
            throw text.error(node.getParserPosition(), kind.name() + " is not supported", "deploy one pipeline per query");
        }
        if (kind == SqlKind.WITH) {
            throw text.error(node.getParserPosition(), "WITH (common table expressions) is not supported", "write a single SELECT");
        }
        throw text.error(node.getParserPosition(), "Only SELECT queries are supported (found " + kind + ")", null);
    }

    private static void rejectUnsupportedClauses(QueryText text, SqlSelect select)
            throws SqlCompileException
    {
        String perRecord = "pipelines enrich each driving record (see docs)";
        if (select.isDistinct()) {
            throw text.error(select.getParserPosition(), "SELECT DISTINCT is not supported", perRecord);
        }
        if (select.getGroup() != null) {
            throw text.error(positionOf(select.getGroup(), select), "GROUP BY is not supported", perRecord);
        }
        if (select.getHaving() != null) {
            throw text.error(select.getHaving().getParserPosition(), "HAVING is not supported", perRecord);
        }
        if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
            throw text.error(select.getWindowList().getParserPosition(), "WINDOW is not supported", perRecord);
        }
        if (select.getQualify() != null) {
            throw text.error(select.getQualify().getParserPosition(), "QUALIFY is not supported", perRecord);
        }
        if (select.getOrderList() != null && !select.getOrderList().isEmpty()) {
            throw text.error(select.getOrderList().getParserPosition(), "ORDER BY is not supported", "a pipeline emits records in arrival order");
        }
        if (select.getFetch() != null || select.getOffset() != null) {
            SqlNode limit = select.getFetch() != null ? select.getFetch() : select.getOffset();
            throw text.error(limit.getParserPosition(), "LIMIT/OFFSET is not supported", "a pipeline processes every driving record; filter with WHERE");
        }
    }

    private static SqlParserPos positionOf(SqlNodeList list, SqlNode fallback)
    {
        return list.isEmpty() ? fallback.getParserPosition() : list.get(0).getParserPosition();
    }
}
