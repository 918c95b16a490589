package io.kaflowsql.docs;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputSpec;
import io.kaflowsql.engine.api.PipelineDefinition;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.config.Durations;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key table of docs/reference/pipeline.md against the pipeline reader, both ways: every key the reader accepts is
 * documented and every documented key is accepted; the documented defaults and required keys are the reader's. The
 * reader's keys are read from its own "unknown key" errors, so nothing here repeats them.
 */
class PipelineReferenceTest
{
    private static final String PAGE = "docs/reference/pipeline.md";
    private static final String METRICS_PAGE = "docs/reference/pipeline-metrics.md";
    private static final String MINIMAL = """
            name: docs_minimal
            query: SELECT c.event_id FROM clickstreams c
            output:
              topic: docs_out
            """;
    private static final String UNKNOWN = "zzzzzzzzzzzzzzzz";
    private static final Pattern ALLOWED = Pattern.compile("allowed keys: (.*)$");
    /** Keys whose value is a mapping of further keys, with a pipeline that reaches them. */
    private static final Map<String, String> SECTIONS = Map.of(
            "output", "name: p\nquery: SELECT c.x FROM t c\noutput:\n  topic: o\n  %s: 1\n",
            "emission", MINIMAL + "emission:\n  %s: 1\n",
            "state", MINIMAL + "state:\n  %s: 1\n",
            "state.events", MINIMAL + "state:\n  events:\n    %s: 1\n");

    @Test
    void everyKeyTheReaderAcceptsIsDocumentedAndNoOther()
    {
        Set<String> documented = new TreeSet<>();
        ReferenceTables.byCode(ReferenceTables.under(PAGE, "Keys")).keySet()
                .forEach(key -> documented.add(key.replace(".<topic>", "")));

        assertThat(documented).isEqualTo(readerKeys());
    }

    @Test
    void everyMetricKeyIsDocumentedAndNoOther()
    {
        Set<String> documented = ReferenceTables.byCode(ReferenceTables.under(METRICS_PAGE, "Keys")).keySet();
        String yaml = MINIMAL + "metrics:\n  - " + UNKNOWN + ": 1\n";

        assertThat(new TreeSet<>(documented)).isEqualTo(new TreeSet<>(allowedKeys(yaml)));
    }

    @Test
    void documentedDefaultsAreTheReaders()
    {
        Map<String, List<String>> rows = ReferenceTables.byCode(ReferenceTables.under(PAGE, "Keys"));
        PipelineDefinition definition = PipelineBlocks.load(MINIMAL).definition();

        assertThat(defaultOf(rows, "output.format")).isEqualTo("`" + definition.output().format().yamlName() + "`");
        assertThat(defaultOf(rows, "emission.type")).isEqualTo("`" + definition.emission().type().name().toLowerCase() + "`");
        assertThat(defaultOf(rows, "emission.on_timeout")).isEqualTo("`" + definition.emission().onTimeout().name().toLowerCase() + "`");
        assertThat(defaultOf(rows, "output.dead_letter_topic")).isEqualTo("`<output.topic>" + OutputSpec.DEAD_LETTER_SUFFIX + "`");
        assertThat(definition.output().deadLetterTopic()).isEqualTo("docs_out" + OutputSpec.DEAD_LETTER_SUFFIX);
        assertThat(defaultOf(rows, "state.events.default_ttl")).isEqualTo("`window`, else `" + Durations.format(PipelineDefinition.FALLBACK_TTL) + "`");
        assertThat(defaultOf(rows, "emission.require")).isEqualTo("`[]`");
        assertThat(definition.emission().require()).isEmpty();
        assertThat(defaultOf(rows, "state.dimensions")).isEqualTo("`[]`");
        assertThat(definition.state().dimensions()).isEmpty();
        assertThat(defaultOf(rows, "metrics")).isEqualTo("`[]`");
        assertThat(definition.metrics()).isEmpty();
        assertThat(definition.output().key()).isEmpty();
        assertThat(defaultOf(rows, "output.key")).isEqualTo("none");
        assertThat(definition.window()).isEmpty();
        assertThat(defaultOf(rows, "window")).isEqualTo("none");
    }

    @Test
    void requiredKeysAreTheOnesTheReaderRequires()
    {
        Map<String, List<String>> rows = ReferenceTables.byCode(ReferenceTables.under(PAGE, "Keys"));
        List<String> required = rows.entrySet().stream().filter(row -> row.getValue().get(2).equals("required")).map(Map.Entry::getKey).toList();

        Map<String, String> withoutIt = Map.of(
                "name", MINIMAL.replace("name: docs_minimal\n", ""),
                "query", MINIMAL.replace("query: SELECT c.event_id FROM clickstreams c\n", ""),
                "output.topic", MINIMAL.replace("  topic: docs_out", "  format: json"));
        assertThat(required).containsExactlyInAnyOrderElementsOf(withoutIt.keySet());
        withoutIt.forEach((key, yaml) -> assertThatThrownBy(() -> PipelineBlocks.load(yaml)).as(key)
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("missing required key '" + key + "'"));
    }

    @Test
    void theMinimalExampleIsMinimal()
    {
        CompiledPipeline pipeline = PipelineBlocks.load(MINIMAL);

        assertThat(pipeline.name()).isEqualTo("docs_minimal");
    }

    private static String defaultOf(Map<String, List<String>> rows, String key)
    {
        List<String> row = rows.get(key);
        assertThat(row).as(key + " is in the table").isNotNull();
        return row.get(2);
    }

    private static Set<String> readerKeys()
    {
        Set<String> keys = new TreeSet<>();
        for (String root : allowedKeys(UNKNOWN + ": 1\n")) {
            keys.addAll(expand(root));
        }
        return keys;
    }

    private static List<String> expand(String key)
    {
        if (!SECTIONS.containsKey(key)) {
            return List.of(key);
        }
        List<String> keys = new ArrayList<>();
        for (String child : allowedKeys(SECTIONS.get(key).formatted(UNKNOWN))) {
            keys.addAll(expand(key + "." + child));
        }
        return keys;
    }

    /** The keys the reader lists when it meets an unknown one in {@code yaml}. */
    private static List<String> allowedKeys(String yaml)
    {
        try {
            PipelineBlocks.load(yaml);
        }
        catch (ConfigurationException e) {
            Matcher matcher = ALLOWED.matcher(e.problems().get(0).message());
            assertThat(matcher.find()).as("the reader lists the allowed keys: " + e.getMessage()).isTrue();
            return Arrays.stream(matcher.group(1).split(",\\s*")).toList();
        }
        throw new AssertionError("an unknown key was accepted in " + yaml);
    }
}
