package io.kaflowsql.engine.internal.sql;

import io.kaflowsql.engine.internal.sql.SqlTokens.Kind;
import io.kaflowsql.engine.internal.sql.SqlTokens.Token;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Front end that lets users name columns after words Calcite reserves. JSON fields are routinely
 * called {@code timestamp}, {@code value}, {@code date}, ... and every Calcite grammar rejects
 * {@code c.timestamp} or {@code WHERE timestamp > 0}; this wraps such a word in backticks when it
 * is used as a name. Stateless and thread-safe.
 *
 * <p>A word of {@link #QUOTED_WORDS} (any case) is left alone when it is clearly not a name:
 * <ul>
 * <li>followed by {@code (} (a function call: {@code COUNT(*)}, {@code YEAR(x)}, {@code RANK()});
 * <li>followed by a string literal (a typed literal: {@code TIMESTAMP '2025-01-01 00:00:00'});
 * <li>after {@code AS} inside {@code CAST(} (a type: {@code CAST(x AS TIMESTAMP)});
 * <li>a time unit: after a string literal or {@code TO} ({@code INTERVAL '1' DAY TO HOUR}), or
 * first inside {@code EXTRACT(}.
 * </ul>
 * After a {@code .} it is always a column name. String literals, quoted identifiers and comments
 * are skipped. {@code user} parses but means {@code CURRENT_USER}, so it is quoted too. A trailing
 * {@code ;} is blanked. The returned {@link QueryText} maps positions back to the original text.
 */
final class ReservedWordQuoter
{
    /** Words Calcite rejects (or misreads) as column names, which users' JSON fields often carry. */
    static final Set<String> QUOTED_WORDS = Set.of(
            "timestamp", "time", "date", "year", "month", "day", "hour", "minute", "second",
            "value", "rank", "position", "user", "count", "sum", "min", "max", "avg",
            "result", "language", "start");

    private static final Set<String> CAST_FUNCTIONS = Set.of("cast", "try_cast", "safe_cast");

    private ReservedWordQuoter() {}

    static QueryText rewrite(String sql)
    {
        List<Token> tokens = SqlTokens.tokenize(sql);
        StringBuilder parsed = new StringBuilder(sql.length() + 16);
        List<Integer> inserted = new ArrayList<>();
        // one entry per open parenthesis: true when it opened a CAST and its AS has been seen
        Deque<int[]> parens = new ArrayDeque<>();
        int copied = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (token.isSymbol('(')) {
                boolean cast = previous != null && previous.kind() == Kind.WORD && CAST_FUNCTIONS.contains(lower(previous));
                parens.push(new int[] {cast ? 1 : 0, 0});
            }
            else if (token.isSymbol(')') && !parens.isEmpty()) {
                parens.pop();
            }
            else if (token.isWord("as") && !parens.isEmpty() && parens.peek()[0] == 1) {
                parens.peek()[1] = 1;
            }
            else if (token.isSymbol(';') && next == null) {
                parsed.append(sql, copied, token.start()).append(' ');
                copied = token.end();
            }
            else if (token.kind() == Kind.WORD && QUOTED_WORDS.contains(lower(token)) && isName(tokens, i, parens)) {
                parsed.append(sql, copied, token.start());
                inserted.add(parsed.length());
                parsed.append('`').append(token.text());
                inserted.add(parsed.length());
                parsed.append('`');
                copied = token.end();
            }
        }
        parsed.append(sql, copied, sql.length());
        return new QueryText(sql, parsed.toString(), inserted.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean isName(List<Token> tokens, int index, Deque<int[]> parens)
    {
        Token previous = index > 0 ? tokens.get(index - 1) : null;
        Token next = index + 1 < tokens.size() ? tokens.get(index + 1) : null;
        if (previous != null && previous.isSymbol('.')) {
            return true;
        }
        if (next != null && (next.isSymbol('(') || next.kind() == Kind.STRING)) {
            return false;
        }
        if (!parens.isEmpty() && parens.peek()[0] == 1 && parens.peek()[1] == 1) {
            return false;
        }
        if (previous != null && (previous.kind() == Kind.STRING || previous.isWord("to"))) {
            return false;
        }
        Token beforePrevious = index > 1 ? tokens.get(index - 2) : null;
        return !(previous != null && previous.isSymbol('(') && beforePrevious != null && beforePrevious.isWord("extract"));
    }

    private static String lower(Token token)
    {
        return token.text().toLowerCase(Locale.ROOT);
    }
}
