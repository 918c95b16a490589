package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.expr.EvaluationException;
import io.kaflowsql.engine.internal.expr.EvaluationException.Reason;
import io.kaflowsql.engine.internal.expr.MurmurHash3;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SqlType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each expression form, evaluated over a single-source frame, including NULL and error cases. */
class ExpressionEvaluationTest
{
    private static final QueryCompiler COMPILER = new QueryCompiler();
    private static final Map<String, Object> ROW = row(
            "i", 7L, "j", 2L, "zero", 0L, "d", 2.5, "s", "Hello", "b", true, "f", false, "n", null,
            "big", Long.MAX_VALUE, "min", Long.MIN_VALUE, "arr", List.of("a", "b"), "arr_null", Arrays.asList("a", null),
            "nums", List.of(1L, 2.0, 3L), "obj", Map.of("k", 1L), "num_text", " 42 ", "pad", "  x  ");

    @Test
    void literalsHaveValueModelTypes()
    {
        assertThat(eval("'x'")).isEqualTo("x");
        assertThat(eval("42")).isEqualTo(42L);
        assertThat(eval("1.5")).isEqualTo(1.5);
        assertThat(eval("1e3")).isEqualTo(1000.0);
        assertThat(eval("TRUE")).isEqualTo(true);
        assertThat(eval("FALSE")).isEqualTo(false);
        assertThat(eval("NULL")).isNull();
        assertThat(eval("-i")).isEqualTo(-7L);
        assertThat(eval("-d")).isEqualTo(-2.5);
        assertThat(eval("'it''s'")).isEqualTo("it's");
        assertThat(output("'x'").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(output("'x'").nullable()).isFalse();
    }

    @Test
    void comparisonsAreNumericAcrossLongAndDouble()
    {
        assertThat(eval("i = 7.0")).isEqualTo(true);
        assertThat(eval("i <> 7")).isEqualTo(false);
        assertThat(eval("i != 8")).isEqualTo(true);
        assertThat(eval("d < i")).isEqualTo(true);
        assertThat(eval("d <= 2.5")).isEqualTo(true);
        assertThat(eval("d > 2.5")).isEqualTo(false);
        assertThat(eval("i >= j")).isEqualTo(true);
        assertThat(eval("s = 'Hello'")).isEqualTo(true);
        assertThat(eval("s < 'World'")).isEqualTo(true);
        assertThat(eval("f < b")).isEqualTo(true);
        assertThat(eval("arr = arr")).isEqualTo(true);
        assertThat(output("i = 1").type()).isEqualTo(SqlType.BOOLEAN);
    }

    @Test
    void comparisonsWithNullAreNull()
    {
        assertThat(eval("n = 1")).isNull();
        assertThat(eval("n <> n")).isNull();
        assertThat(eval("s > n")).isNull();
        assertThat(eval("missing = 'x'")).isNull();
    }

    @Test
    void comparingUnlikeKindsIsTypeMismatch()
    {
        assertThat(failure("s = i")).isEqualTo(Reason.TYPE_MISMATCH);
        assertThat(failure("s > 1")).isEqualTo(Reason.TYPE_MISMATCH);
        assertThat(failure("b = 'true'")).isEqualTo(Reason.TYPE_MISMATCH);
        assertThat(failure("arr < arr")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void connectivesUseThreeValuedLogic()
    {
        assertThat(eval("b AND n")).isNull();
        assertThat(eval("f AND n")).isEqualTo(false);
        assertThat(eval("n AND f")).isEqualTo(false);
        assertThat(eval("b OR n")).isEqualTo(true);
        assertThat(eval("n OR f")).isNull();
        assertThat(eval("NOT n")).isNull();
        assertThat(eval("NOT f")).isEqualTo(true);
        assertThat(eval("b AND b AND NOT f")).isEqualTo(true);
        assertThat(failure("s AND b")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void nullAndTruthTests()
    {
        assertThat(eval("n IS NULL")).isEqualTo(true);
        assertThat(eval("s IS NULL")).isEqualTo(false);
        assertThat(eval("s IS NOT NULL")).isEqualTo(true);
        assertThat(eval("missing IS NOT NULL")).isEqualTo(false);
        assertThat(eval("b IS TRUE")).isEqualTo(true);
        assertThat(eval("n IS TRUE")).isEqualTo(false);
        assertThat(eval("n IS NOT TRUE")).isEqualTo(true);
        assertThat(eval("f IS FALSE")).isEqualTo(true);
        assertThat(eval("n IS NOT FALSE")).isEqualTo(true);
        assertThat(eval("n IS NOT DISTINCT FROM missing")).isEqualTo(true);
        assertThat(eval("i IS DISTINCT FROM n")).isEqualTo(true);
        assertThat(output("n IS NULL").nullable()).isFalse();
    }

    @Test
    void inProbesConstantsWithNumericNormalisation()
    {
        assertThat(eval("s IN ('a', 'Hello')")).isEqualTo(true);
        assertThat(eval("s IN ('a', 'b')")).isEqualTo(false);
        assertThat(eval("s NOT IN ('a', 'b')")).isEqualTo(true);
        assertThat(eval("i IN (1, 7.0)")).isEqualTo(true);
        assertThat(eval("d IN (2.5, 3)")).isEqualTo(true);
        assertThat(eval("n IN ('a')")).isNull();
        assertThat(eval("s IN ('a', NULL)")).isNull();
        assertThat(eval("s IN ('Hello', NULL)")).isEqualTo(true);
        assertThat(eval("s NOT IN ('a', NULL)")).isNull();
        assertThat(eval("i IN (j, 7)")).isEqualTo(true);
        assertThat(eval("i IN (j, n)")).isNull();
        assertThat(failure("i IN ('a', 'b')")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void betweenIsInclusiveAndNullAware()
    {
        assertThat(eval("i BETWEEN 7 AND 8")).isEqualTo(true);
        assertThat(eval("d BETWEEN 0 AND 1")).isEqualTo(false);
        assertThat(eval("d NOT BETWEEN 0 AND 1")).isEqualTo(true);
        assertThat(eval("n BETWEEN 0 AND 1")).isNull();
        assertThat(eval("d BETWEEN 3 AND n")).isEqualTo(false);
        assertThat(eval("d BETWEEN SYMMETRIC 3 AND 2")).isEqualTo(true);
        assertThat(eval("s BETWEEN 'A' AND 'Z'")).isEqualTo(true);
    }

    @Test
    void likeMatchesWildcards()
    {
        assertThat(eval("s LIKE 'He%'")).isEqualTo(true);
        assertThat(eval("s LIKE '_ello'")).isEqualTo(true);
        assertThat(eval("s NOT LIKE '%lo'")).isEqualTo(false);
        assertThat(eval("s LIKE 'h%'")).isEqualTo(false);
        assertThat(eval("n LIKE 'h%'")).isNull();
        assertThat(eval("'50%' LIKE '50!%' ESCAPE '!'")).isEqualTo(true);
        assertThat(eval("s LIKE s")).isEqualTo(true);
        assertThat(failure("i LIKE '7%'")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void anyAndAllQuantifyOverArrays()
    {
        assertThat(eval("'a' = ANY(arr)")).isEqualTo(true);
        assertThat(eval("'z' = ANY(arr)")).isEqualTo(false);
        assertThat(eval("'z' = ANY(n)")).isNull();
        assertThat(eval("'z' = ANY(arr_null)")).isNull();
        assertThat(eval("'a' = ANY(arr_null)")).isEqualTo(true);
        assertThat(eval("n = ANY(arr)")).isNull();
        assertThat(eval("'z' <> ALL(arr)")).isEqualTo(true);
        assertThat(eval("'a' <> ALL(arr)")).isEqualTo(false);
        assertThat(eval("'z' <> ALL(arr_null)")).isNull();
        assertThat(eval("2 = ANY(nums)")).isEqualTo(true);
        assertThat(eval("i > ALL(nums)")).isEqualTo(true);
        assertThat(failure("'a' = ANY(s)")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void arithmeticKeepsBigintAndWidensToDouble()
    {
        assertThat(eval("i + j")).isEqualTo(9L);
        assertThat(eval("i - j")).isEqualTo(5L);
        assertThat(eval("i * j")).isEqualTo(14L);
        assertThat(eval("i / j")).isEqualTo(3L);
        assertThat(eval("-i / j")).isEqualTo(-3L);
        assertThat(eval("i % j")).isEqualTo(1L);
        assertThat(eval("MOD(i, j)")).isEqualTo(1L);
        assertThat(eval("i + d")).isEqualTo(9.5);
        assertThat(eval("d * 2")).isEqualTo(5.0);
        assertThat(eval("i / 2.0")).isEqualTo(3.5);
        assertThat(eval("i + n")).isNull();
        assertThat(output("1 + 2").type()).isEqualTo(SqlType.BIGINT);
        assertThat(output("i + 0.5").type()).isEqualTo(SqlType.DOUBLE);
        assertThat(output("i + j").type()).isEqualTo(SqlType.ANY);
    }

    @Test
    void arithmeticFailuresAreEvaluationErrors()
    {
        assertThat(failure("big + 1")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("big * 2")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("min - 1")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("min / -1")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("-min")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("i / zero")).isEqualTo(Reason.DIVISION_BY_ZERO);
        assertThat(failure("i % zero")).isEqualTo(Reason.DIVISION_BY_ZERO);
        assertThat(failure("d / zero")).isEqualTo(Reason.DIVISION_BY_ZERO);
        assertThat(failure("s + 1")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void caseForms()
    {
        assertThat(eval("CASE WHEN i > 5 THEN 'big' WHEN i > 0 THEN 'small' END")).isEqualTo("big");
        assertThat(eval("CASE WHEN i > 50 THEN 'big' END")).isNull();
        assertThat(eval("CASE WHEN n THEN 1 ELSE 2 END")).isEqualTo(2L);
        assertThat(eval("CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' ELSE 'other' END")).isEqualTo("seven");
        assertThat(eval("CASE s WHEN 'x' THEN 1 END")).isNull();
        assertThat(eval("CASE WHEN b THEN 1 ELSE 0.5 END")).isEqualTo(1.0);
        assertThat(output("CASE WHEN b THEN 1 ELSE 0.5 END").type()).isEqualTo(SqlType.DOUBLE);
        assertThat(output("CASE WHEN b THEN 'a' END").nullable()).isTrue();
        assertThat(output("CASE WHEN b THEN 'a' ELSE NULL END").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(output("CASE WHEN b THEN s ELSE 'x' END").type()).isEqualTo(SqlType.ANY);
        assertThat(failure("CASE WHEN s THEN 1 END")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void hashIsMurmur3OfCanonicalString()
    {
        assertThat(eval("HASH('hello')")).isEqualTo(613153351L);
        assertThat(eval("HASH('')")).isEqualTo(0L);
        assertThat(eval("hash(s)")).isEqualTo((long) MurmurHash3.hash32("Hello", 0));
        assertThat(eval("HASH(i)")).isEqualTo((long) MurmurHash3.hash32("7", 0));
        assertThat(eval("HASH(d)")).isEqualTo((long) MurmurHash3.hash32("2.5", 0));
        assertThat(eval("HASH(b)")).isEqualTo((long) MurmurHash3.hash32("true", 0));
        assertThat(eval("HASH(n)")).isNull();
        assertThat(output("HASH(s)").type()).isEqualTo(SqlType.BIGINT);
        assertThat(failure("HASH(arr)")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void numericFunctions()
    {
        assertThat(eval("ABS(-i)")).isEqualTo(7L);
        assertThat(eval("ABS(-d)")).isEqualTo(2.5);
        assertThat(eval("ABS(n)")).isNull();
        assertThat(failure("ABS(min)")).isEqualTo(Reason.OVERFLOW);
        assertThat(eval("ROUND(d)")).isEqualTo(3.0);
        assertThat(eval("ROUND(-d)")).isEqualTo(-3.0);
        assertThat(eval("ROUND(1.2345, 2)")).isEqualTo(1.23);
        assertThat(eval("ROUND(1234, -2)")).isEqualTo(1200L);
        assertThat(eval("FLOOR(d)")).isEqualTo(2.0);
        assertThat(eval("CEIL(d)")).isEqualTo(3.0);
        assertThat(eval("FLOOR(i)")).isEqualTo(7L);
        assertThat(eval("GREATEST(i, d, 3)")).isEqualTo(7L);
        assertThat(eval("GREATEST(2, 2.5)")).isEqualTo(2.5);
        assertThat(eval("GREATEST(3, 2.5)")).isEqualTo(3.0);
        assertThat(eval("LEAST(i, j)")).isEqualTo(2L);
        assertThat(eval("GREATEST(i, n)")).isNull();
    }

    @Test
    void nullHandlingFunctions()
    {
        assertThat(eval("COALESCE(n, missing, s)")).isEqualTo("Hello");
        assertThat(eval("COALESCE(n, missing)")).isNull();
        assertThat(output("COALESCE(s, 'x')").nullable()).isFalse();
        assertThat(eval("NULLIF(i, 7)")).isNull();
        assertThat(eval("NULLIF(i, 8)")).isEqualTo(7L);
        assertThat(eval("NULLIF(n, 8)")).isNull();
    }

    @Test
    void stringFunctions()
    {
        assertThat(eval("LOWER(s)")).isEqualTo("hello");
        assertThat(eval("UPPER(s)")).isEqualTo("HELLO");
        assertThat(eval("TRIM(pad)")).isEqualTo("x");
        assertThat(eval("TRIM(LEADING FROM pad)")).isEqualTo("x  ");
        assertThat(eval("TRIM(BOTH 'x' FROM 'xxaxx')")).isEqualTo("a");
        assertThat(eval("CHAR_LENGTH(s)")).isEqualTo(5L);
        assertThat(eval("LENGTH('héllo')")).isEqualTo(5L);
        assertThat(eval("CONCAT(s, ' ', 'world')")).isEqualTo("Hello world");
        assertThat(eval("s || '-' || i")).isEqualTo("Hello-7");
        assertThat(eval("s || n")).isNull();
        assertThat(eval("CONCAT(s, n)")).isNull();
        assertThat(eval("SUBSTRING(s FROM 2)")).isEqualTo("ello");
        assertThat(eval("SUBSTRING(s FROM 2 FOR 3)")).isEqualTo("ell");
        assertThat(eval("SUBSTRING(s FROM 0 FOR 2)")).isEqualTo("H");
        assertThat(eval("SUBSTRING(s FROM 9)")).isEqualTo("");
        assertThat(eval("LOWER(n)")).isNull();
        assertThat(output("UPPER(s)").type()).isEqualTo(SqlType.VARCHAR);
        assertThat(failure("UPPER(i)")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void cardinalityCountsArrayElements()
    {
        assertThat(eval("CARDINALITY(arr)")).isEqualTo(2L);
        assertThat(eval("CARDINALITY(n)")).isNull();
        assertThat(failure("CARDINALITY(s)")).isEqualTo(Reason.TYPE_MISMATCH);
    }

    @Test
    void castsConvertBetweenValueKinds()
    {
        assertThat(eval("CAST(i AS VARCHAR)")).isEqualTo("7");
        assertThat(eval("CAST(d AS CHAR(10))")).isEqualTo("2.5");
        assertThat(eval("CAST(num_text AS INTEGER)")).isEqualTo(42L);
        assertThat(eval("CAST(num_text AS BIGINT)")).isEqualTo(42L);
        assertThat(eval("CAST(d AS BIGINT)")).isEqualTo(3L);
        assertThat(eval("CAST('2.75' AS DOUBLE)")).isEqualTo(2.75);
        assertThat(eval("CAST(i AS DOUBLE)")).isEqualTo(7.0);
        assertThat(eval("CAST(1.2345 AS DECIMAL(10, 2))")).isEqualTo(1.23);
        assertThat(eval("CAST('true' AS BOOLEAN)")).isEqualTo(true);
        assertThat(eval("CAST(n AS BIGINT)")).isNull();
        assertThat(output("CAST(s AS SMALLINT)").type()).isEqualTo(SqlType.BIGINT);
        assertThat(output("CAST(s AS REAL)").type()).isEqualTo(SqlType.DOUBLE);
        assertThat(failure("CAST(s AS BIGINT)")).isEqualTo(Reason.INVALID_CAST);
        assertThat(failure("CAST(s AS DOUBLE)")).isEqualTo(Reason.INVALID_CAST);
        assertThat(failure("CAST(s AS BOOLEAN)")).isEqualTo(Reason.INVALID_CAST);
        assertThat(failure("CAST(big AS INTEGER)")).isEqualTo(Reason.OVERFLOW);
        assertThat(failure("CAST(d * 1000 AS DECIMAL(3, 1))")).isEqualTo(Reason.OVERFLOW);
    }

    @Test
    void arraysAndObjectsPassThrough()
    {
        assertThat(eval("arr")).isEqualTo(List.of("a", "b"));
        assertThat(eval("obj")).isEqualTo(Map.of("k", 1L));
        assertThat(output("arr").type()).isEqualTo(SqlType.ANY);
    }

    @Test
    void literalSubtreesAreFolded()
    {
        assertThat(output("1 + 2 * 3").evaluator()).isEqualTo(new io.kaflowsql.engine.internal.expr.Constant(7L));
        assertThat(output("UPPER('a') || 'b'").evaluator()).isEqualTo(new io.kaflowsql.engine.internal.expr.Constant("Ab"));
    }

    /** Evaluates {@code expression} over {@link #ROW}. */
    private static Object eval(String expression)
    {
        OutputItem.Column column = output(expression);
        QueryPlan plan = compile(expression);
        return column.evaluator().evaluate(TestFrames.frame(plan, Map.of("t", ROW)));
    }

    /** The failure reason of evaluating {@code expression}; null when the compiler already rejected it. */
    private static Reason failure(String expression)
    {
        QueryPlan plan;
        try {
            plan = COMPILER.compile("SELECT " + expression + " AS v FROM t");
        }
        catch (SqlCompileException e) {
            return null;
        }
        Object[][] frame = TestFrames.frame(plan, Map.of("t", ROW));
        EvaluationException failure = (EvaluationException) org.assertj.core.api.Assertions.catchThrowable(
                () -> TestFrames.evaluate(plan, "v", frame));
        assertThat(failure).as("evaluating " + expression).isNotNull();
        return failure.reason();
    }

    private static OutputItem.Column output(String expression)
    {
        return TestFrames.column(compile(expression), "v");
    }

    private static QueryPlan compile(String expression)
    {
        try {
            return COMPILER.compile("SELECT " + expression + " AS v FROM t");
        }
        catch (SqlCompileException e) {
            throw new AssertionError("does not compile: " + expression + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> row(Object... keysAndValues)
    {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }
}
