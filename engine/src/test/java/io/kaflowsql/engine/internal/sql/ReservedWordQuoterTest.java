package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.plan.QueryPlan;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReservedWordQuoterTest
{
    private final QueryCompiler compiler = new QueryCompiler();

    @Test
    void quotesTimestampUsedAsColumnName()
    {
        assertThat(parsed("SELECT c.timestamp FROM t c")).isEqualTo("SELECT c.`timestamp` FROM t c");
        assertThat(parsed("SELECT timestamp FROM t WHERE timestamp > 0")).isEqualTo("SELECT `timestamp` FROM t WHERE `timestamp` > 0");
        assertThat(parsed("SELECT c.TimeStamp AS TIMESTAMP FROM t c")).isEqualTo("SELECT c.`TimeStamp` AS `TIMESTAMP` FROM t c");
    }

    @Test
    void leavesTypesTypedLiteralsStringsAndCommentsAlone()
    {
        assertThat(parsed("SELECT CAST(x AS TIMESTAMP) FROM t")).isEqualTo("SELECT CAST(x AS TIMESTAMP) FROM t");
        assertThat(parsed("SELECT CAST(timestamp AS timestamp(3)) FROM t")).isEqualTo("SELECT CAST(`timestamp` AS timestamp(3)) FROM t");
        assertThat(parsed("SELECT TIMESTAMP '2025-01-01 00:00:00' FROM t")).isEqualTo("SELECT TIMESTAMP '2025-01-01 00:00:00' FROM t");
        assertThat(parsed("SELECT 'timestamp' FROM t")).isEqualTo("SELECT 'timestamp' FROM t");
        assertThat(parsed("SELECT 'it''s timestamp' FROM t")).isEqualTo("SELECT 'it''s timestamp' FROM t");
        assertThat(parsed("SELECT `timestamp` FROM t -- timestamp\n/* timestamp */")).isEqualTo("SELECT `timestamp` FROM t -- timestamp\n/* timestamp */");
        assertThat(parsed("SELECT COUNT(*), YEAR(x) FROM t")).isEqualTo("SELECT COUNT(*), YEAR(x) FROM t");
        assertThat(parsed("SELECT EXTRACT(YEAR FROM x), INTERVAL '1' DAY TO HOUR FROM t"))
                .isEqualTo("SELECT EXTRACT(YEAR FROM x), INTERVAL '1' DAY TO HOUR FROM t");
    }

    @Test
    void quotesOtherReservedColumnNamesCalciteRejects()
    {
        assertThat(parsed("SELECT m.value, date, m.year, rank, position, user FROM t m"))
                .isEqualTo("SELECT m.`value`, `date`, m.`year`, `rank`, `position`, `user` FROM t m");
    }

    @Test
    void blanksTrailingSemicolon()
    {
        assertThat(parsed("SELECT a FROM t;")).isEqualTo("SELECT a FROM t ");
    }

    @Test
    void compiledQueryReadsReservedColumnNames()
            throws SqlCompileException
    {
        QueryPlan plan = compiler.compile("SELECT e.timestamp, value, e.date AS day FROM events e WHERE timestamp > '2025'");

        assertThat(plan.driving().columns()).containsExactly("timestamp", "value", "date");
        assertThat(plan.outputs()).extracting(item -> ((io.kaflowsql.engine.internal.plan.OutputItem.Column) item).name())
                .containsExactly("timestamp", "value", "day");
        Object[][] frame = TestFrames.frame(plan, Map.of("e", Map.of("timestamp", "2025-07-05", "value", 3L, "date", "d")));
        assertThat(plan.where().evaluate(frame)).isEqualTo(true);
        assertThat(TestFrames.evaluate(plan, "timestamp", frame)).isEqualTo("2025-07-05");
    }

    @Test
    void errorPositionsReferToOriginalText()
    {
        // four backticks are inserted before the '+' Calcite stops at (column 35 of the parsed text)
        assertThatThrownBy(() -> compiler.compile("SELECT c.timestamp, timestamp + FROM t c"))
                .isInstanceOfSatisfying(SqlCompileException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Syntax error: Encountered \"+ FROM\" at line 1, column 31");
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(31);
                });
        assertThatThrownBy(() -> compiler.compile("SELECT c.timestamp,\n  x.timestamp AS ts\nFROM t c"))
                .isInstanceOfSatisfying(SqlCompileException.class, e -> {
                    assertThat(e.getMessage()).startsWith("Unknown source alias 'x' at line 2, column 3");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(3);
                });
        assertThatThrownBy(() -> compiler.compile("SELECT timestamp, timestamp FROM t"))
                .isInstanceOfSatisfying(SqlCompileException.class, e -> assertThat(e.column()).isEqualTo(19));
    }

    @Test
    void castToTimestampIsLeftForTheCompilerToReject()
    {
        assertThatThrownBy(() -> compiler.compile("SELECT CAST(timestamp AS TIMESTAMP) AS ts FROM t"))
                .isInstanceOfSatisfying(SqlCompileException.class, e -> {
                    assertThat(e.getMessage()).contains("CAST to TIMESTAMP is not supported");
                    assertThat(e.column()).isEqualTo(26);
                });
    }

    private static String parsed(String sql)
    {
        return ReservedWordQuoter.rewrite(sql).parsed();
    }
}
