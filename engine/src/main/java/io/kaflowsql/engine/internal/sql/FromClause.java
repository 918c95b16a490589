package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.ColumnRef;
import io.kaflowsql.engine.internal.plan.JoinPlan;
import io.kaflowsql.engine.internal.sql.SourceScope.ResolvedColumn;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The FROM clause: {@code <topic> [alias] { LEFT JOIN <topic> [alias] ON <key> = <alias>.<column> }}.
 * The first table is the driving stream (index 0); each LEFT JOIN adds the next index. An ON clause
 * compares a column of the joined source (its join column) with a column of an earlier source (the
 * lookup key), in either order. Not thread-safe: lives for one compilation.
 */
final class FromClause
{
    private final QueryText text;
    private final SourceScope scope;
    /** ON condition of each source by index; null for the driving stream. */
    private final List<SqlNode> conditions = new ArrayList<>();

    private FromClause(QueryText text, SourceScope scope)
    {
        this.text = requireNonNull(text, "text is null");
        this.scope = requireNonNull(scope, "scope is null");
    }

    /** Registers every source of {@code from} in the scope, driving stream first. */
    static FromClause register(QueryText text, SourceScope scope, SqlNode from)
            throws SqlCompileException
    {
        FromClause clause = new FromClause(text, scope);
        clause.add(from);
        return clause;
    }

    private void add(SqlNode node)
            throws SqlCompileException
    {
        if (node instanceof SqlJoin join) {
            add(join.getLeft());
            checkJoin(join);
            addTable(join.getRight());
            conditions.add(join.getCondition());
            return;
        }
        addTable(node);
        conditions.add(null);
    }

    private void checkJoin(SqlJoin join)
            throws SqlCompileException
    {
        JoinType type = join.getJoinType();
        if (type == JoinType.COMMA) {
            throw text.error(join.getRight().getParserPosition(), "Comma joins are not supported", "write LEFT JOIN <topic> ON <key> = <column>");
        }
        if (type != JoinType.LEFT) {
            throw text.error(join.getParserPosition(), "Only LEFT JOIN is supported (found " + type.name().replace('_', ' ') + " JOIN)",
                    "use emission.require for inner-join semantics");
        }
        if (join.isNatural()) {
            throw text.error(join.getParserPosition(), "NATURAL JOIN is not supported", "write LEFT JOIN <topic> ON <key> = <column>");
        }
        if (join.getConditionType() == JoinConditionType.USING) {
            throw text.error(join.getParserPosition(), "JOIN ... USING is not supported", "write ON a.col = b.col");
        }
        if (join.getConditionType() != JoinConditionType.ON) {
            throw text.error(join.getParserPosition(), "LEFT JOIN needs an ON condition", "write ON <key> = <alias>.<column>");
        }
    }

    private void addTable(SqlNode node)
            throws SqlCompileException
    {
        SqlNode table = node;
        String alias = null;
        if (node.getKind() == SqlKind.AS) {
            SqlCall as = (SqlCall) node;
            if (as.operandCount() > 2) {
                throw text.error(node.getParserPosition(), "Column aliases on a table are not supported", null);
            }
            table = as.operand(0);
            alias = ((SqlIdentifier) as.operand(1)).getSimple();
        }
        if (!(table instanceof SqlIdentifier identifier)) {
            if (table.getKind() == SqlKind.SELECT || table instanceof SqlCall) {
                throw text.error(table.getParserPosition(), "Subqueries and table functions are not supported in FROM", "name a topic");
            }
            throw text.error(table.getParserPosition(), "Expected a topic name in FROM but found (" + QueryText.render(table) + ")", null);
        }
        String topic = String.join(".", identifier.names);
        scope.add(topic, alias == null ? topic : alias, node.getParserPosition());
    }

    /** Compiles the ON clauses into one join plan per source (null for the driving stream). */
    List<JoinPlan> compileJoins()
            throws SqlCompileException
    {
        List<JoinPlan> joins = new ArrayList<>();
        joins.add(null);
        for (int index = 1; index < conditions.size(); index++) {
            joins.add(compileJoin(index, conditions.get(index)));
        }
        return joins;
    }

    private JoinPlan compileJoin(int index, SqlNode condition)
            throws SqlCompileException
    {
        String alias = scope.alias(index);
        String expected = "write ON <earlier alias>.<column> = " + alias + ".<column>";
        if (condition.getKind() != SqlKind.EQUALS) {
            throw text.error(condition.getParserPosition(), "The ON condition of " + alias + " must be a single equality", expected);
        }
        SqlCall equality = (SqlCall) condition;
        SqlNode left = equality.operand(0);
        SqlNode right = equality.operand(1);
        boolean leftIsJoined = isColumnOf(left, index);
        boolean rightIsJoined = isColumnOf(right, index);
        if (leftIsJoined == rightIsJoined) {
            throw text.error(condition.getParserPosition(), "The ON condition of " + alias + " must compare one column of " + alias
                    + " with a column of an earlier source", expected);
        }
        SqlIdentifier joinColumn = (SqlIdentifier) (leftIsJoined ? left : right);
        SqlNode key = leftIsJoined ? right : left;
        if (!(key instanceof SqlIdentifier keyIdentifier) || keyIdentifier.isStar()) {
            throw text.error(key.getParserPosition(), "Computed join keys are not supported yet (" + QueryText.render(key) + ")",
                    "join on a column; compute the key upstream");
        }
        ResolvedColumn keyColumn = scope.resolve(keyIdentifier);
        if (keyColumn.sourceIndex() >= index) {
            String other = scope.alias(keyColumn.sourceIndex());
            throw text.error(key.getParserPosition(), "The join key of " + alias + " reads " + other + ", which is not joined before it",
                    "a lookup key may only use the driving stream and sources joined earlier");
        }
        int keySlot = scope.register(keyColumn);
        scope.register(scope.resolve(joinColumn));
        return new JoinPlan(new ColumnRef(keyColumn.sourceIndex(), keySlot), scope.alias(keyColumn.sourceIndex()) + "." + keyColumn.column(),
                keyColumn.sourceIndex(), keyColumn.column(), joinColumn.names.get(joinColumn.names.size() - 1));
    }

    private boolean isColumnOf(SqlNode node, int index)
            throws SqlCompileException
    {
        return node instanceof SqlIdentifier identifier && !identifier.isStar() && identifier.names.size() == 2
                && scope.indexOf(identifier.names.get(0), identifier.getParserPosition()) == index;
    }
}
