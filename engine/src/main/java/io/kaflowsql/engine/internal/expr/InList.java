package io.kaflowsql.engine.internal.expr;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code x IN (v1, v2, ...)} with SQL semantics: TRUE on a match, otherwise NULL if x or some list
 * element is NULL, otherwise FALSE. A list of constants becomes one hash-set probe; numbers are
 * normalised so that {@code 1} and {@code 1.0} match. Comparing x with a list holding no value of
 * its kind is a type mismatch, as {@code =} would be. Stateless and thread-safe.
 */
public final class InList
{
    private InList() {}

    public static Evaluator of(Evaluator value, List<Evaluator> items)
    {
        requireNonNull(value, "value is null");
        if (items.stream().allMatch(Constant.class::isInstance)) {
            return constantSet(value, items.stream().map(item -> ((Constant) item).value()).toList());
        }
        Evaluator[] candidates = items.toArray(Evaluator[]::new);
        return frame -> {
            Object probe = value.evaluate(frame);
            if (probe == null) {
                return null;
            }
            boolean sawNull = false;
            for (Evaluator candidate : candidates) {
                Object item = candidate.evaluate(frame);
                if (item == null) {
                    sawNull = true;
                }
                else if (Comparisons.equal(probe, item)) {
                    return Boolean.TRUE;
                }
            }
            return sawNull ? null : Boolean.FALSE;
        };
    }

    private static Evaluator constantSet(Evaluator value, List<Object> constants)
    {
        Set<Object> keys = new HashSet<>();
        Set<Class<?>> kinds = new HashSet<>();
        boolean containsNull = false;
        for (Object constant : constants) {
            if (constant == null) {
                containsNull = true;
                continue;
            }
            keys.add(normalize(constant));
            kinds.add(kindOf(constant));
        }
        boolean nullIfMissing = containsNull;
        return frame -> {
            Object probe = value.evaluate(frame);
            if (probe == null) {
                return null;
            }
            if (keys.contains(normalize(probe))) {
                return Boolean.TRUE;
            }
            if (!kinds.isEmpty() && !kinds.contains(kindOf(probe))) {
                throw ValueTypes.mismatch("IN", "a value comparable with the list", probe);
            }
            return nullIfMissing ? null : Boolean.FALSE;
        };
    }

    /** Integral doubles become Longs so that numeric equality matches hash-set equality. */
    static Object normalize(Object value)
    {
        if (value instanceof Double d) {
            double v = d;
            if (v == Math.rint(v) && v >= -0x1p63 && v < 0x1p63) {
                return (long) v;
            }
        }
        return value;
    }

    private static Class<?> kindOf(Object value)
    {
        return value instanceof Number ? Number.class : value.getClass();
    }
}
