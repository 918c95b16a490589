package io.kaflowsql.engine.internal.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.INVALID_CAST;
import static io.kaflowsql.engine.internal.expr.EvaluationException.Reason.OVERFLOW;

/**
 * CAST conversions of the value model. Integer targets produce Long (range-checked for
 * INTEGER/SMALLINT/TINYINT, doubles rounded half away from zero), DOUBLE/REAL/FLOAT/DECIMAL produce
 * Double (DECIMAL(p, s) rounds half up to s digits and checks the p - s integer digits), VARCHAR uses
 * the canonical string form (no CHAR padding). A string that does not parse is
 * {@link EvaluationException.Reason#INVALID_CAST}; NULL casts to NULL. Stateless and thread-safe.
 */
public final class Casts
{
    private Casts() {}

    public static Object toVarchar(Object value)
    {
        if (value == null) {
            return null;
        }
        if (value instanceof List || value instanceof Map) {
            throw new EvaluationException(INVALID_CAST, "cannot cast " + ValueTypes.describe(value) + " to VARCHAR");
        }
        return ValueTypes.canonicalString(value, "CAST");
    }

    /** To an integer type whose values lie in [min, max]; {@code typeName} is for messages. */
    public static Object toInteger(Object value, long min, long max, String typeName)
    {
        long result;
        if (value == null) {
            return null;
        }
        else if (value instanceof Long l) {
            result = l;
        }
        else if (value instanceof Double d) {
            double rounded = Math.signum(d) * Math.floor(Math.abs(d) + 0.5);
            if (Double.isNaN(d) || rounded < -0x1p63 || rounded >= 0x1p63) {
                throw new EvaluationException(OVERFLOW, "value " + d + " is out of range for " + typeName);
            }
            result = (long) rounded;
        }
        else if (value instanceof Boolean b) {
            result = b ? 1 : 0;
        }
        else if (value instanceof String s) {
            try {
                result = Long.parseLong(s.trim());
            }
            catch (NumberFormatException e) {
                throw new EvaluationException(INVALID_CAST, "cannot cast '" + s + "' to " + typeName);
            }
        }
        else {
            throw new EvaluationException(INVALID_CAST, "cannot cast " + ValueTypes.describe(value) + " to " + typeName);
        }
        if (result < min || result > max) {
            throw new EvaluationException(OVERFLOW, "value " + result + " is out of range for " + typeName);
        }
        return result;
    }

    public static Object toDouble(Object value)
    {
        if (value == null || value instanceof Double) {
            return value;
        }
        if (value instanceof Long l) {
            return l.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (value instanceof String s) {
            try {
                double parsed = Double.parseDouble(s.trim());
                if (Double.isFinite(parsed)) {
                    return parsed;
                }
            }
            catch (NumberFormatException e) {
                // reported below
            }
            throw new EvaluationException(INVALID_CAST, "cannot cast '" + s + "' to DOUBLE");
        }
        throw new EvaluationException(INVALID_CAST, "cannot cast " + ValueTypes.describe(value) + " to DOUBLE");
    }

    /** DECIMAL(precision, scale), represented as a Double rounded to {@code scale} digits. */
    public static Object toDecimal(Object value, int precision, int scale)
    {
        Object asDouble = toDouble(value);
        if (asDouble == null) {
            return null;
        }
        BigDecimal rounded = BigDecimal.valueOf((Double) asDouble).setScale(scale, RoundingMode.HALF_UP);
        if (rounded.precision() - rounded.scale() > precision - scale) {
            throw new EvaluationException(OVERFLOW, "value " + asDouble + " does not fit DECIMAL(" + precision + ", " + scale + ")");
        }
        return rounded.doubleValue();
    }

    public static Object toBoolean(Object value)
    {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        if (value instanceof Double d) {
            return d != 0;
        }
        if (value instanceof String s) {
            String text = s.trim();
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (text.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new EvaluationException(INVALID_CAST, "cannot cast '" + s + "' to BOOLEAN");
        }
        throw new EvaluationException(INVALID_CAST, "cannot cast " + ValueTypes.describe(value) + " to BOOLEAN");
    }
}
