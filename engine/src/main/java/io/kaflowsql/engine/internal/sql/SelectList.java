package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.plan.OutputItem;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the SELECT list into {@link OutputItem}s. {@code *} expands to every source in order
 * and {@code alias.*} to one source; those sources keep all their fields. An item is named by its
 * alias, else by its column name ({@code c.event_id} gives {@code event_id}); an unnamed computed
 * item, and two items of the same name, are errors. Stateless; one call per compilation.
 */
final class SelectList
{
    private SelectList() {}

    static List<OutputItem> compile(QueryText text, SourceScope scope, ExpressionCompiler expressions, SqlNodeList items)
            throws SqlCompileException
    {
        List<OutputItem> outputs = new ArrayList<>();
        Map<String, SqlParserPos> names = new HashMap<>();
        for (SqlNode item : items) {
            if (item instanceof SqlIdentifier identifier && identifier.isStar()) {
                addStar(scope, identifier, outputs);
                continue;
            }
            SqlNode expression = item;
            String name;
            if (item.getKind() == SqlKind.AS) {
                SqlCall as = (SqlCall) item;
                expression = as.operand(0);
                name = ((SqlIdentifier) as.operand(1)).getSimple();
            }
            else if (item instanceof SqlIdentifier identifier) {
                name = identifier.names.get(identifier.names.size() - 1);
            }
            else {
                throw text.error(item.getParserPosition(), "The SELECT item (" + QueryText.render(item) + ") needs a name", "add AS <name>");
            }
            SqlParserPos previous = names.putIfAbsent(name, item.getParserPosition());
            if (previous != null) {
                int[] first = text.toOriginal(previous);
                throw text.error(item.getParserPosition(), "Duplicate output column '" + name + "' (first at line " + first[0] + ", column " + first[1] + ")",
                        "rename one with AS <name>");
            }
            TypedExpression compiled = expressions.compile(expression);
            outputs.add(new OutputItem.Column(name, compiled.evaluator(), compiled.type(), compiled.nullable(), sqlOf(expression)));
        }
        return outputs;
    }

    private static void addStar(SourceScope scope, SqlIdentifier star, List<OutputItem> outputs)
            throws SqlCompileException
    {
        if (star.names.size() == 1) {
            for (int i = 0; i < scope.size(); i++) {
                scope.keepAllColumns(i);
                outputs.add(new OutputItem.AllColumns(i));
            }
            return;
        }
        int index = scope.indexOf(star.names.get(0), star.getParserPosition());
        scope.keepAllColumns(index);
        outputs.add(new OutputItem.AllColumns(index));
    }

    /** Calcite's rendering of the expression without identifier quotes, e.g. {@code c.event_id}. */
    private static String sqlOf(SqlNode expression)
    {
        return QueryText.render(expression);
    }
}
