package io.kaflowsql.docs;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every fenced code block of the documentation (docs/**.md and README.md) through the real code, by the kind its
 * info string gives (the table is in docs/README.md, "How these pages are tested"). A block of no known kind fails:
 * a block no test can check is marked {@code text}.
 */
@ExtendWith(LiveNodeExtension.class)
class DocsExamplesTest
{
    /** Kinds checked without a running node, and how. */
    private static final Map<String, Checker> OFFLINE = Map.ofEntries(
            kind("yaml pipeline", PipelineBlocks::check),
            kind("yaml pipeline expect-error", PipelineBlocks::check),
            kind("yaml pipeline-fragment", PipelineBlocks::checkFragment),
            kind("yaml config", ConfigBlocks::check),
            kind("yaml config expect-error", ConfigBlocks::check),
            kind("yaml scenario", ScenarioBlocks::check),
            kind("sql", SqlBlocks::check),
            kind("sql eval", SqlBlocks::check),
            kind("sql not-supported", SqlBlocks::check),
            kind("json catalog", (block, scratch) -> JsonBlocks.checkCatalog(block)));
    /** Kinds checked against the live node. */
    private static final Set<String> LIVE = Set.of("bash", "console", "json dashboard");
    /** Not checked by themselves: output samples, diagrams, synopses; {@code text error} and {@code text output} are checked with the example before them. */
    private static final Set<String> TEXT = Set.of("text", "text error", "text output");

    private static Map.Entry<String, Checker> kind(String kind, Checker checker)
    {
        return Map.entry(kind, checker);
    }

    @FunctionalInterface
    interface Checker
    {
        void check(CodeBlock block, Path scratch);
    }

    private static Stream<CodeBlock> blocks()
    {
        return Docs.pages().stream().flatMap(page -> page.blocks().stream());
    }

    @Test
    void everyBlockIsOfAKindATestChecks()
    {
        List<String> unknown = blocks().filter(block -> !OFFLINE.containsKey(block.kind()) && !LIVE.contains(block.kind()) && !TEXT.contains(block.kind()))
                .map(block -> block.where() + " (```" + block.kind() + ")")
                .toList();
        assertThat(unknown).as("blocks of no kind a test checks; mark output samples and synopses as text").isEmpty();
    }

    @Test
    void errorAndOutputSamplesFollowTheirExample()
    {
        blocks().filter(block -> block.kind().equals("text error")).forEach(block -> assertThat(Docs.previous(block))
                .as(block.where() + ": a text error block follows an expect-error example").hasValueSatisfying(example -> assertThat(example.has("expect-error")).isTrue()));
        blocks().filter(block -> block.kind().equals("text output")).forEach(block -> assertThat(Docs.previous(block))
                .as(block.where() + ": a text output block follows a bash example").hasValueSatisfying(example -> assertThat(example.language()).isEqualTo("bash")));
    }

    @Test
    void theDocsHaveExamplesOfEveryKind()
    {
        Set<String> kinds = new java.util.TreeSet<>();
        blocks().forEach(block -> kinds.add(block.kind()));
        assertThat(kinds).containsAll(OFFLINE.keySet()).containsAll(LIVE);
    }

    @TestFactory
    Stream<DynamicTest> offlineExamples(@TempDir Path scratch)
    {
        return blocks().filter(block -> OFFLINE.containsKey(block.kind()))
                .map(block -> test(block, b -> OFFLINE.get(b.kind()).check(b, scratch)));
    }

    @TestFactory
    Stream<DynamicTest> examplesOnALiveNode(LiveNode node)
    {
        return blocks().filter(block -> LIVE.contains(block.kind()))
                .map(block -> test(block, b -> {
                    if (b.kind().equals("json dashboard")) {
                        JsonBlocks.checkDashboard(b, node);
                    }
                    else {
                        ShellBlocks.check(b, node);
                    }
                }));
    }

    private static DynamicTest test(CodeBlock block, Consumer<CodeBlock> check)
    {
        return DynamicTest.dynamicTest(block.where() + " " + block.kind(), () -> check.accept(block));
    }
}
