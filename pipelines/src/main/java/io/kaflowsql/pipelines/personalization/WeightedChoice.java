package io.kaflowsql.pipelines.personalization;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * A fixed list of strings with relative weights, sampled with one random draw. Immutable and
 * thread-safe (the random source is the caller's).
 */
final class WeightedChoice
{
    private final List<String> values;
    private final double[] cumulative;

    private WeightedChoice(List<String> values, double[] weights)
    {
        this.values = List.copyOf(requireNonNull(values, "values is null"));
        if (values.isEmpty() || values.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per value, got " + values.size() + " values and " + weights.length + " weights");
        }
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0)) {
                throw new IllegalArgumentException("weight must not be negative: " + weights[i]);
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("weights must not all be zero");
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    /** Pairs {@code "value", weight, "value", weight, ...}. */
    static WeightedChoice of(Object... pairs)
    {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("expected value/weight pairs: " + Arrays.toString(pairs));
        }
        String[] values = new String[pairs.length / 2];
        double[] weights = new double[pairs.length / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = (String) pairs[2 * i];
            weights[i] = ((Number) pairs[2 * i + 1]).doubleValue();
        }
        return new WeightedChoice(List.of(values), weights);
    }

    static WeightedChoice uniform(List<String> values)
    {
        double[] weights = new double[values.size()];
        Arrays.fill(weights, 1.0);
        return new WeightedChoice(values, weights);
    }

    String pick(SplittableRandom random)
    {
        double u = random.nextDouble();
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return values.get(i);
            }
        }
        return values.get(values.size() - 1);
    }

    List<String> values()
    {
        return values;
    }
}
