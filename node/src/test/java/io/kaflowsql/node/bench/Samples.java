package io.kaflowsql.node.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Measurements of one quantity over repeated runs. Not thread-safe. */
final class Samples
{
    private final List<Double> values = new ArrayList<>();

    void add(double value)
    {
        values.add(value);
    }

    boolean isEmpty()
    {
        return values.isEmpty();
    }

    double median()
    {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    double max()
    {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** e.g. {@code 41200 / 39800 / 40500} with the given format per value. */
    String all(String format)
    {
        return String.join(" / ", values.stream().map(value -> String.format(Locale.ROOT, format, value)).toList());
    }
}
