package io.kaflowsql.docs;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One fenced code block of a page: where it starts, its info string split into the language and its flags
 * ({@code yaml pipeline expect-error} is language {@code yaml}, flags {@code pipeline}, {@code expect-error}),
 * and its text without the fence's indentation.
 */
record CodeBlock(String file, int line, String language, List<String> flags, String text)
{
    CodeBlock
    {
        requireNonNull(file, "file is null");
        requireNonNull(language, "language is null");
        flags = List.copyOf(flags);
        requireNonNull(text, "text is null");
    }

    boolean has(String flag)
    {
        return flags.contains(flag);
    }

    /** The block's kind: language and flags, e.g. {@code yaml pipeline expect-error}. */
    String kind()
    {
        return flags.isEmpty() ? language : language + " " + String.join(" ", flags);
    }

    /** {@code docs/semantics.md:42}, for messages and test names. */
    String where()
    {
        return file + ":" + line;
    }
}
