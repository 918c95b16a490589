package io.kaflowsql.engine.internal.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Bad queries fail at compile time with an actionable message and the position in the query. */
class QueryCompilerErrorsTest
{
    private final QueryCompiler compiler = new QueryCompiler();

    @Test
    void unknownAliasListsKnownAliases()
    {
        SqlCompileException e = error("""
                SELECT c.a,
                  u.b,
                    x.c
                FROM t c
                LEFT JOIN users u ON c.a = u.a
                LEFT JOIN products p ON c.a = p.a""");

        assertThat(e.getMessage()).isEqualTo("Unknown source alias 'x' at line 3, column 5; known aliases: c, u, p");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(5);
    }

    @Test
    void rejectsAggregationAndOrdering()
    {
        assertError("SELECT a FROM t GROUP BY a", "GROUP BY is not supported at line 1, column 26; pipelines enrich each driving record (see docs)");
        assertError("SELECT a FROM t HAVING a > 1", "HAVING is not supported at line 1, column 24; pipelines enrich each driving record (see docs)");
        assertError("SELECT a FROM t ORDER BY a", "ORDER BY is not supported at line 1, column 17; a pipeline emits records in arrival order");
        assertError("SELECT a FROM t LIMIT 5", "LIMIT/OFFSET is not supported at line 1, column 23; a pipeline processes every driving record; filter with WHERE");
        assertError("SELECT DISTINCT a FROM t", "SELECT DISTINCT is not supported at line 1, column 1; pipelines enrich each driving record (see docs)");
        assertError("SELECT a FROM t\nUNION SELECT a FROM u", "UNION is not supported at line 1, column 1; deploy one pipeline per query");
        assertError("SELECT COUNT(*) AS n FROM t", "Aggregate function COUNT is not supported at line 1, column 8; pipelines enrich each driving record (see docs)");
        assertError("SELECT ROW_NUMBER() OVER (ORDER BY a) AS r FROM t",
                "Window functions (OVER) are not supported at line 1, column 8; pipelines enrich each driving record (see docs)");
    }

    @Test
    void acceptsOnlyLeftJoinsOnAColumnOfAnEarlierSource()
    {
        assertError("SELECT c.a FROM t c JOIN u ON c.a = u.a",
                "Only LEFT JOIN is supported (found INNER JOIN) at line 1, column 21; use emission.require for inner-join semantics");
        assertError("SELECT c.a FROM t c RIGHT JOIN u ON c.a = u.a",
                "Only LEFT JOIN is supported (found RIGHT JOIN) at line 1, column 27; use emission.require for inner-join semantics");
        assertError("SELECT c.a FROM t c, u", "Comma joins are not supported at line 1, column 22; write LEFT JOIN <topic> ON <key> = <column>");
        assertError("SELECT a FROM t LEFT JOIN u USING (a)", "JOIN ... USING is not supported at line 1, column 22; write ON a.col = b.col");
        assertError("SELECT a FROM t c LEFT JOIN u ON c.a = u.b AND c.x = u.y",
                "The ON condition of u must be a single equality at line 1, column 34; write ON <earlier alias>.<column> = u.<column>");
        assertError("SELECT a FROM t c LEFT JOIN u ON LOWER(c.a) = u.b",
                "Computed join keys are not supported yet (LOWER(c.a)) at line 1, column 34; join on a column; compute the key upstream");
        assertError("SELECT a FROM t c LEFT JOIN u ON p.a = u.b LEFT JOIN p ON c.a = p.a",
                "The join key of u reads p, which is not joined before it at line 1, column 34; "
                        + "a lookup key may only use the driving stream and sources joined earlier");
        assertError("SELECT a FROM t c LEFT JOIN u c ON c.a = c.b", "Duplicate source alias 'c' at line 1, column 29; give each joined topic its own alias");
    }

    @Test
    void joinConditionMayNameTheJoinedColumnFirst()
            throws SqlCompileException
    {
        var plan = compiler.compile("SELECT c.a FROM t c LEFT JOIN users u ON u.user_id = c.uid");

        assertThat(plan.sources().get(1).join().joinColumn()).isEqualTo("user_id");
        assertThat(plan.sources().get(1).join().keyColumn()).isEqualTo("uid");
        assertThat(plan.sources().get(1).columns()).containsExactly("user_id");
        assertThat(plan.sources().get(0).columns()).containsExactly("a", "uid");
    }

    @Test
    void rejectsSubqueries()
    {
        assertError("SELECT (SELECT 1) AS x FROM t", "Subqueries are not supported at line 1, column 8; use a LEFT JOIN on a keyed topic instead");
        assertError("SELECT a FROM (SELECT a FROM t)", "Subqueries and table functions are not supported in FROM at line 1, column 16; name a topic");
        assertError("SELECT a FROM t WHERE a IN (SELECT b FROM u)", "IN (subquery) is not supported at line 1, column 29; list the values: x IN ('a', 'b')");
    }

    @Test
    void namesOutputsAndRejectsDuplicates()
    {
        assertError("SELECT a + 1 FROM t", "The SELECT item (a + 1) needs a name at line 1, column 8; add AS <name>");
        assertError("SELECT a,\n  b AS a FROM t", "Duplicate output column 'a' (first at line 1, column 8) at line 2, column 3; rename one with AS <name>");
    }

    @Test
    void rejectsUnknownFunctionsAndStaticTypeErrors()
    {
        SqlCompileException unknown = error("SELECT FOO(a) AS x FROM t");
        assertThat(unknown.getMessage()).startsWith("Unknown function FOO at line 1, column 8; supported functions: ABS,");
        assertError("SELECT 'a' + 1 AS x FROM t", "operator + expects a number but ('a') is VARCHAR at line 1, column 8");
        assertError("SELECT a FROM t WHERE 'x'", "WHERE must be a boolean condition but ('x') is VARCHAR at line 1, column 23");
        assertError("SELECT 'a' = 1 AS x FROM t", "Cannot compare VARCHAR with BIGINT in ('a' = 1) at line 1, column 8; CAST one side to the other's type");
        assertError("SELECT 1 / 0 AS x FROM t", "Constant expression (1 / 0) cannot be evaluated: division by zero: 1 / 0 at line 1, column 8");
        assertError("SELECT HASH(a, b) AS x FROM t", "Function HASH expects 1 argument(s) but got 2 at line 1, column 8");
        assertError("SELECT CAST(a AS DATE) AS x FROM t",
                "CAST to DATE is not supported at line 1, column 18; supported types: VARCHAR, CHAR, BIGINT, INTEGER, INT, SMALLINT, TINYINT, DOUBLE, FLOAT, REAL, DECIMAL(p, s), BOOLEAN");
        assertThat(error("SELECT TIMESTAMP '2025-01-01 00:00:00' AS x FROM t").getMessage()).startsWith("Literal TIMESTAMP '2025-01-01 00:00:00' is not supported");
        assertError("SELECT x.y.z FROM t x", "Nested field access 'x.y.z' is not supported at line 1, column 8; select the whole field (alias.column) instead");
    }

    @Test
    void reportsSyntaxErrorsAtTheirPosition()
    {
        SqlCompileException e = error("SELECT a,\n\tb +\n\tFROM t");

        assertThat(e.getMessage()).isEqualTo("Syntax error: Encountered \"+ FROM\" at line 2, column 4");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(4);
        assertThat(error("").getMessage()).isEqualTo("The query is empty; write SELECT ... FROM <topic>");
    }

    private void assertError(String sql, String message)
    {
        assertThat(error(sql).getMessage()).isEqualTo(message);
    }

    private SqlCompileException error(String sql)
    {
        SqlCompileException e = catchThrowableOfType(SqlCompileException.class, () -> compiler.compile(sql));
        assertThat(e).as("compiling " + sql).isNotNull();
        return e;
    }
}
