package io.kaflowsql.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.config.ConfigProblem;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;

import org.assertj.core.api.SoftAssertions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL examples through the real compiler. A query is wrapped in a pipeline whose joined topics are all dimensions (so
 * the partition-key rules of event tables, which the pipeline reference covers, do not interfere).
 * <ul>
 *   <li>{@code sql}: the query compiles;</li>
 *   <li>{@code sql not-supported}: entries separated by blank lines, each a query and then {@code -- <message>}: the
 *       query fails with exactly that message;</li>
 *   <li>{@code sql eval}: a {@code -- row: {json}} line, then lines {@code <expression> -- <result>}; each expression is
 *       evaluated as {@code SELECT <expression> AS r FROM t c} on that record. The result is {@code NULL}, {@code TRUE},
 *       {@code FALSE}, a {@code 'text'} literal, JSON, {@code evaluation-error: <message>} or
 *       {@code compile error: <message>}.</li>
 * </ul>
 */
final class SqlBlocks
{
    private static final Pattern JOINED = Pattern.compile("(?i)\\bJOIN\\s+(`[^`]+`|[A-Za-z0-9_.]+)");
    private static final String ROW = "-- row:";

    private SqlBlocks() {}

    static void check(CodeBlock block, Path scratch)
    {
        if (block.has("not-supported")) {
            checkNotSupported(block);
        }
        else if (block.has("eval")) {
            checkEval(block, scratch);
        }
        else {
            try {
                compile(block.text());
            }
            catch (ConfigurationException e) {
                throw new AssertionError(block.where() + ": the query does not compile: " + e.getMessage(), e);
            }
        }
    }

    static CompiledPipeline compile(String query)
    {
        Set<String> joined = new LinkedHashSet<>();
        Matcher matcher = JOINED.matcher(query);
        while (matcher.find()) {
            joined.add(matcher.group(1).replace("`", ""));
        }
        StringBuilder yaml = new StringBuilder("name: docs_sql\nquery: |\n");
        query.lines().forEach(line -> yaml.append("  ").append(line).append('\n'));
        yaml.append("output:\n  topic: docs_sql_out\n");
        if (!joined.isEmpty()) {
            yaml.append("state:\n  dimensions:\n");
            joined.forEach(topic -> yaml.append("    - '").append(topic).append("'\n"));
        }
        return PipelineBlocks.load(yaml.toString());
    }

    /** The message the query fails with, or an error if it compiles. */
    static String failure(String query)
    {
        try {
            compile(query);
        }
        catch (ConfigurationException e) {
            return String.join("\n", e.problems().stream().map(ConfigProblem::message).toList());
        }
        throw new AssertionError("the query compiles: " + query);
    }

    private static void checkNotSupported(CodeBlock block)
    {
        List<String> entries = List.of(block.text().split("\n\\s*\n"));
        SoftAssertions softly = new SoftAssertions();
        for (String entry : entries) {
            List<String> query = new ArrayList<>();
            List<String> message = new ArrayList<>();
            for (String line : entry.strip().lines().toList()) {
                (line.startsWith("-- ") ? message : query).add(line.startsWith("-- ") ? line.substring(3) : line);
            }
            assertThat(message).as(block.where() + ": each entry is a query and its message after '-- '").isNotEmpty();
            softly.assertThat(failure(String.join("\n", query))).as(block.where() + ": " + String.join(" ", query)).isEqualTo(String.join("\n", message));
        }
        softly.assertAll();
    }

    private static void checkEval(CodeBlock block, Path scratch)
    {
        List<String> lines = block.text().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines.get(0)).as(block.where() + ": an eval block starts with '" + ROW + " {json}'").startsWith(ROW);
        String row = lines.get(0).substring(ROW.length()).trim();
        List<String> wrong = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            int comment = line.lastIndexOf(" -- ");
            assertThat(comment).as(block.where() + ": '" + line + "' is '<expression> -- <result>'").isPositive();
            try {
                evaluate(block, line.substring(0, comment).trim(), line.substring(comment + 4).trim(), row, scratch);
            }
            catch (AssertionError e) {
                wrong.add(e.getMessage());
            }
        }
        assertThat(wrong).as(block.where() + ": expressions whose result is not the one shown").isEmpty();
    }

    private static void evaluate(CodeBlock block, String expression, String expected, String row, Path scratch)
    {
        String what = block.where() + ": " + expression;
        String query = "SELECT " + expression + " AS r FROM t c";
        if (expected.startsWith("compile error: ")) {
            assertThat(failure(query)).as(what).isEqualTo(expected.substring("compile error: ".length()));
            return;
        }
        CompiledPipeline pipeline;
        try {
            pipeline = compile(query);
        }
        catch (ConfigurationException e) {
            throw new AssertionError(what + ": does not compile: " + e.getMessage(), e);
        }
        try (PipelineTestDriver driver = new PipelineTestDriver(pipeline, PipelineBlocks.directory(scratch))) {
            driver.pipe("t", "k", row, 1_000);
            List<OutputRecord> outputs = driver.readOutputs();
            if (expected.startsWith("evaluation-error: ")) {
                assertThat(outputs).as(what + ": dead-lettered, not emitted").isEmpty();
                assertThat(driver.rejected()).as(what).singleElement().satisfies(rejected -> {
                    assertThat(rejected.reason()).isEqualTo(RejectReason.EVALUATION_ERROR);
                    assertThat(rejected.detail()).isEqualTo(expected.substring("evaluation-error: ".length()));
                });
                return;
            }
            assertThat(driver.rejected()).as(what + ": rejected").isEmpty();
            assertThat(outputs).as(what).hasSize(1);
            JsonNode actual = JsonValues.parse(outputs.get(0).valueText()).path("r");
            JsonNode wanted = result(expected);
            assertThat(JsonValues.same(wanted, actual.isMissingNode() ? NullNode.getInstance() : actual))
                    .as(what + " is " + expected + " but the engine gives " + actual).isTrue();
        }
    }

    /** A result as written in an eval block, as the JSON value the output carries. */
    static JsonNode result(String text)
    {
        if (text.equals("NULL")) {
            return NullNode.getInstance();
        }
        if (text.equals("TRUE") || text.equals("FALSE")) {
            return JsonValues.parse(text.toLowerCase(java.util.Locale.ROOT));
        }
        if (text.startsWith("'") && text.endsWith("'") && text.length() >= 2) {
            return TextNode.valueOf(text.substring(1, text.length() - 1).replace("''", "'"));
        }
        return JsonValues.parse(text);
    }
}
