package io.kaflowsql.docs;

import java.util.List;
import java.util.Optional;

/** Every documentation page, read once per test JVM. */
final class Docs
{
    private static final List<MarkdownPage> PAGES = Repository.markdownFiles().stream().map(MarkdownPage::read).toList();

    private Docs() {}

    static List<MarkdownPage> pages()
    {
        return PAGES;
    }

    static MarkdownPage page(String file)
    {
        return PAGES.stream().filter(page -> page.file().equals(file)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no page " + file));
    }

    /** The block right after {@code block} on its page, if any. */
    static Optional<CodeBlock> next(CodeBlock block)
    {
        List<CodeBlock> blocks = page(block.file()).blocks();
        int index = blocks.indexOf(block);
        return index + 1 < blocks.size() ? Optional.of(blocks.get(index + 1)) : Optional.empty();
    }

    /** The block right before {@code block} on its page, if any. */
    static Optional<CodeBlock> previous(CodeBlock block)
    {
        List<CodeBlock> blocks = page(block.file()).blocks();
        int index = blocks.indexOf(block);
        return index > 0 ? Optional.of(blocks.get(index - 1)) : Optional.empty();
    }

    /** The nearest {@code yaml pipeline} block above {@code block} on its page. */
    static CodeBlock pipelineAbove(CodeBlock block)
    {
        List<CodeBlock> blocks = page(block.file()).blocks();
        for (int i = blocks.indexOf(block) - 1; i >= 0; i--) {
            CodeBlock candidate = blocks.get(i);
            if (candidate.language().equals("yaml") && candidate.flags().equals(List.of("pipeline"))) {
                return candidate;
            }
        }
        throw new AssertionError(block.where() + ": a scenario needs a yaml pipeline block above it on the same page");
    }

    /** The {@code text error} block that must follow an {@code expect-error} example: its lines, blank ones dropped. */
    static List<String> expectedError(CodeBlock example)
    {
        CodeBlock error = next(example).filter(block -> block.kind().equals("text error"))
                .orElseThrow(() -> new AssertionError(example.where() + ": an expect-error example is followed by a text error block with the message"));
        return error.text().lines().filter(line -> !line.isBlank()).toList();
    }
}
