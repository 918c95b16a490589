package io.kaflowsql.engine.internal.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal SQL tokenizer for the {@link ReservedWordQuoter}: it only needs to tell words from
 * string literals, quoted identifiers, numbers and punctuation, and to skip comments and blanks.
 * It never fails: an unterminated literal or comment runs to the end and Calcite reports it.
 * Stateless and thread-safe.
 */
final class SqlTokens
{
    enum Kind
    {
        WORD, STRING, QUOTED_IDENTIFIER, NUMBER, SYMBOL
    }

    /** A token of {@code text} spanning [start, end). */
    record Token(Kind kind, int start, int end, String text)
    {
        boolean isWord(String word)
        {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isSymbol(char symbol)
        {
            return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
        }
    }

    private SqlTokens() {}

    static List<Token> tokenize(String sql)
    {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                while (i < length && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 2;
                continue;
            }
            Kind kind;
            if (c == '\'' || c == '"' || c == '`') {
                i = endOfQuoted(sql, i, c);
                kind = c == '`' ? Kind.QUOTED_IDENTIFIER : Kind.STRING;
            }
            else if (Character.isLetter(c) || c == '_') {
                while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                kind = Kind.WORD;
            }
            else if (Character.isDigit(c)) {
                while (i < length && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                kind = Kind.NUMBER;
            }
            else {
                i++;
                kind = Kind.SYMBOL;
            }
            tokens.add(new Token(kind, start, i, sql.substring(start, i)));
        }
        return tokens;
    }

    /** End (exclusive) of a literal opened at {@code start}; a doubled quote is an escaped quote. */
    private static int endOfQuoted(String sql, int start, char quote)
    {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
