package io.kaflowsql.engine.internal.expr;

import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.TYPE_MISMATCH;

/**
 * Facts about runtime values of the value model described in {@link Evaluator}: their SQL type
 * name for messages, their canonical string form, and checked conversion to a boolean.
 * Stateless and thread-safe.
 */
public final class ValueTypes
{
    private static final int MAX_SHOWN_CHARS = 40;

    private ValueTypes() {}

    /** SQL name of the type of a runtime value, for messages. */
    public static String typeName(Object value)
    {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String) {
            return "VARCHAR";
        }
        if (value instanceof Long) {
            return "BIGINT";
        }
        if (value instanceof Double) {
            return "DOUBLE";
        }
        if (value instanceof Boolean) {
            return "BOOLEAN";
        }
        if (value instanceof List) {
            return "ARRAY";
        }
        if (value instanceof Map) {
            return "OBJECT";
        }
        return value.getClass().getSimpleName();
    }

    /** Type and (shortened) value, e.g. {@code VARCHAR 'abc'}, for error messages. */
    public static String describe(Object value)
    {
        if (value == null) {
            return "NULL";
        }
        String text = String.valueOf(value);
        if (text.length() > MAX_SHOWN_CHARS) {
            text = text.substring(0, MAX_SHOWN_CHARS) + "...";
        }
        return typeName(value) + (value instanceof String ? " '" + text + "'" : " " + text);
    }

    /**
     * The canonical string form of a scalar: a String as is, a Long in decimal digits, a Double per
     * {@link Double#toString(double)}, a Boolean as {@code true}/{@code false}. Used by HASH, CONCAT
     * and CAST to VARCHAR so that the three agree. Arrays and objects have no canonical form.
     */
    public static String canonicalString(Object value, String context)
    {
        if (value instanceof String string) {
            return string;
        }
        if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value.toString();
        }
        throw new EvaluationException(TYPE_MISMATCH, context + " expects a scalar value but got " + describe(value));
    }

    /** The value as a SQL boolean (null stays null); anything else is a type mismatch. */
    public static Boolean asBoolean(Object value, String context)
    {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new EvaluationException(TYPE_MISMATCH, context + " expects BOOLEAN but got " + describe(value));
    }

    public static boolean isNumber(Object value)
    {
        return value instanceof Long || value instanceof Double;
    }

    public static EvaluationException mismatch(String context, String expected, Object actual)
    {
        return new EvaluationException(TYPE_MISMATCH, context + " expects " + expected + " but got " + describe(actual));
    }
}
