package io.kaflowsql.engine.internal.expr;

import java.util.regex.Pattern;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.TYPE_MISMATCH;
import static java.util.Objects.requireNonNull;

/**
 * A compiled SQL LIKE pattern: {@code %} matches any sequence, {@code _} any single character, an
 * optional escape character makes the next one literal. Common shapes (no wildcard, {@code abc%},
 * {@code %abc}, {@code %abc%}) skip the regex engine. Immutable and thread-safe.
 */
public final class LikePattern
{
    private enum Shape
    {
        EXACT, PREFIX, SUFFIX, CONTAINS, REGEX
    }

    private final Shape shape;
    private final String literal;
    private final Pattern regex;

    private LikePattern(Shape shape, String literal, Pattern regex)
    {
        this.shape = shape;
        this.literal = literal;
        this.regex = regex;
    }

    /** Compiles a pattern; {@code escape} is null when there is no ESCAPE clause. */
    public static LikePattern compile(String pattern, Character escape)
    {
        requireNonNull(pattern, "pattern is null");
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int percents = 0;
        boolean underscore = false;
        boolean leadingPercent = false;
        boolean trailingPercent = false;
        boolean innerPercent = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (escape != null && c == escape) {
                if (i + 1 >= pattern.length()) {
                    throw new EvaluationException(TYPE_MISMATCH, "LIKE pattern '" + pattern + "' ends with the escape character");
                }
                char next = pattern.charAt(++i);
                regex.append(Pattern.quote(String.valueOf(next)));
                literal.append(next);
                innerPercent |= trailingPercent;
                trailingPercent = false;
            }
            else if (c == '%') {
                if (i == 0) {
                    leadingPercent = true;
                }
                else {
                    trailingPercent = true;
                }
                percents++;
                regex.append(".*");
            }
            else if (c == '_') {
                underscore = true;
                regex.append('.');
            }
            else {
                innerPercent |= trailingPercent;
                trailingPercent = false;
                regex.append(Pattern.quote(String.valueOf(c)));
                literal.append(c);
            }
        }
        Pattern compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        if (underscore || innerPercent || percents > 2) {
            return new LikePattern(Shape.REGEX, null, compiled);
        }
        String text = literal.toString();
        if (leadingPercent && trailingPercent) {
            return new LikePattern(Shape.CONTAINS, text, compiled);
        }
        if (leadingPercent) {
            return percents == 1 ? new LikePattern(Shape.SUFFIX, text, compiled) : new LikePattern(Shape.REGEX, null, compiled);
        }
        if (trailingPercent) {
            return new LikePattern(Shape.PREFIX, text, compiled);
        }
        return percents == 0 ? new LikePattern(Shape.EXACT, text, compiled) : new LikePattern(Shape.REGEX, null, compiled);
    }

    public boolean matches(String value)
    {
        return switch (shape) {
            case EXACT -> value.equals(literal);
            case PREFIX -> value.startsWith(literal);
            case SUFFIX -> value.endsWith(literal);
            case CONTAINS -> value.contains(literal);
            case REGEX -> regex.matcher(value).matches();
        };
    }

    /** {@code value [NOT] LIKE pattern [ESCAPE escape]}; a non-constant pattern is compiled per record. */
    public static Evaluator like(Evaluator value, Evaluator pattern, Evaluator escape, boolean negated)
    {
        if (pattern instanceof Constant p && (escape == null || escape instanceof Constant)) {
            Object escapeValue = escape == null ? null : ((Constant) escape).value();
            if (p.value() == null || (escape != null && escapeValue == null)) {
                return Constant.NULL;
            }
            LikePattern compiled = compile(asString(p.value(), "LIKE pattern"), escapeChar(escapeValue));
            return frame -> {
                Object v = value.evaluate(frame);
                return v == null ? null : compiled.matches(asString(v, "LIKE")) != negated;
            };
        }
        return frame -> {
            Object v = value.evaluate(frame);
            Object p = pattern.evaluate(frame);
            Object e = escape == null ? null : escape.evaluate(frame);
            if (v == null || p == null || (escape != null && e == null)) {
                return null;
            }
            return compile(asString(p, "LIKE pattern"), escapeChar(e)).matches(asString(v, "LIKE")) != negated;
        };
    }

    private static Character escapeChar(Object escape)
    {
        if (escape == null) {
            return null;
        }
        String text = asString(escape, "LIKE ESCAPE");
        if (text.length() != 1) {
            throw new EvaluationException(TYPE_MISMATCH, "LIKE ESCAPE must be a single character but got '" + text + "'");
        }
        return text.charAt(0);
    }

    private static String asString(Object value, String context)
    {
        if (value instanceof String string) {
            return string;
        }
        throw ValueTypes.mismatch(context, "VARCHAR", value);
    }
}
