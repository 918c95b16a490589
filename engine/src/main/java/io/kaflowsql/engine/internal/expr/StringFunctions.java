package io.kaflowsql.engine.internal.expr;

import java.util.Locale;

/**
 * Scalar string functions. Arguments are non-null (callers return NULL for NULL input). Text is
 * measured and cut in Unicode code points, not UTF-16 units. Stateless and thread-safe.
 */
public final class StringFunctions
{
    private StringFunctions() {}

    public static String lower(Object value)
    {
        return string(value, "LOWER").toLowerCase(Locale.ROOT);
    }

    public static String upper(Object value)
    {
        return string(value, "UPPER").toUpperCase(Locale.ROOT);
    }

    public static Long charLength(Object value)
    {
        String text = string(value, "CHAR_LENGTH");
        return (long) text.codePointCount(0, text.length());
    }

    /** Removes the characters of {@code characters} from the chosen ends. */
    public static String trim(Object value, String characters, boolean leading, boolean trailing)
    {
        String text = string(value, "TRIM");
        int start = 0;
        int end = text.length();
        if (leading) {
            while (start < end && characters.indexOf(text.charAt(start)) >= 0) {
                start++;
            }
        }
        if (trailing) {
            while (end > start && characters.indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
        }
        return text.substring(start, end);
    }

    /**
     * {@code SUBSTRING(s FROM start [FOR length])} with 1-based positions; positions before the
     * string are cut off (as in the SQL standard) and a negative length yields '' (as in MySQL)
     * rather than failing the record. {@code length} is null when absent.
     */
    public static String substring(Object value, Object start, Object length)
    {
        String text = string(value, "SUBSTRING");
        long from = integer(start, "SUBSTRING start");
        int codePoints = text.codePointCount(0, text.length());
        long to = length == null ? Long.MAX_VALUE : saturatedAdd(from, integer(length, "SUBSTRING length"));
        long first = Math.max(from, 1);
        long last = Math.min(to, codePoints + 1L);
        if (first >= last) {
            return "";
        }
        int begin = text.offsetByCodePoints(0, (int) first - 1);
        int endIndex = text.offsetByCodePoints(begin, (int) (last - first));
        return text.substring(begin, endIndex);
    }

    /** Concatenation of canonical string forms; callers handle NULL operands. */
    public static String concat(Object[] values)
    {
        StringBuilder result = new StringBuilder();
        for (Object value : values) {
            result.append(ValueTypes.canonicalString(value, "||"));
        }
        return result.toString();
    }

    static String string(Object value, String function)
    {
        if (value instanceof String text) {
            return text;
        }
        throw ValueTypes.mismatch(function, "VARCHAR", value);
    }

    private static long integer(Object value, String context)
    {
        if (value instanceof Long l) {
            return l;
        }
        throw ValueTypes.mismatch(context, "BIGINT", value);
    }

    private static long saturatedAdd(long a, long b)
    {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
