package io.kaflowsql.engine.internal.sql;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * A query as the user wrote it and as handed to Calcite after {@link ReservedWordQuoter} inserted
 * backticks. Maps positions in the parsed text back to the original, so every error points at what
 * the user wrote, and builds {@link SqlCompileException}s. Immutable and thread-safe.
 *
 * <p>Lines break at {@code \n}, {@code \r\n} or {@code \r} and every character (a tab too) is one
 * column, which is how Calcite's parser counts.
 */
public final class QueryText
{
    private final String original;
    private final String parsed;
    private final int[] insertedAt;

    /** @param insertedAt ascending offsets, in {@code parsed}, of the characters the rewrite inserted */
    QueryText(String original, String parsed, int[] insertedAt)
    {
        this.original = requireNonNull(original, "original is null");
        this.parsed = requireNonNull(parsed, "parsed is null");
        this.insertedAt = insertedAt.clone();
    }

    public String original()
    {
        return original;
    }

    /** The text Calcite parses. */
    public String parsed()
    {
        return parsed;
    }

    /** A node as SQL for messages and plans: Calcite's rendering on one line, without identifier quotes. */
    public static String render(SqlNode node)
    {
        return node.toString().replace("`", "").replaceAll("\\s+", " ").trim();
    }

    /** An error at a node's position: {@code "<problem> at line L, column C[; <hint>]"}. */
    public SqlCompileException error(SqlParserPos pos, String problem, String hint)
    {
        int[] at = toOriginal(pos);
        return error(at[0], at[1], problem, hint);
    }

    static SqlCompileException error(int line, int column, String problem, String hint)
    {
        String where = line > 0 ? " at line " + line + ", column " + column : "";
        String message = problem + where + (hint == null || hint.isEmpty() ? "" : "; " + hint);
        return new SqlCompileException(message, line, column);
    }

    /** The original {line, column} of a position in the parsed text; {0, 0} when unknown. */
    public int[] toOriginal(SqlParserPos pos)
    {
        if (pos == null || pos.getLineNum() <= 0) {
            return new int[] {0, 0};
        }
        return toOriginal(pos.getLineNum(), pos.getColumnNum());
    }

    int[] toOriginal(int parsedLine, int parsedColumn)
    {
        int parsedOffset = offsetOf(parsed, parsedLine, parsedColumn);
        int before = Arrays.binarySearch(insertedAt, parsedOffset);
        int insertedBefore = before >= 0 ? before : -before - 1;
        // an inserted backtick maps to the original character right after it
        return lineAndColumn(original, parsedOffset - insertedBefore);
    }

    private static int offsetOf(String text, int line, int column)
    {
        int offset = 0;
        int currentLine = 1;
        while (currentLine < line && offset < text.length()) {
            char c = text.charAt(offset++);
            if (c == '\n' || (c == '\r' && (offset >= text.length() || text.charAt(offset) != '\n'))) {
                currentLine++;
            }
        }
        return Math.min(text.length(), offset + Math.max(0, column - 1));
    }

    private static int[] lineAndColumn(String text, int offset)
    {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            }
            else if (c != '\r') {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
