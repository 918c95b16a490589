package io.kaflowsql.engine.internal.metrics;

import io.kaflowsql.engine.api.MetricSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * One labelled series of a declared metric: the Micrometer meters behind one combination of label values.
 * Implementations are thread-safe and do not allocate per record.
 */
interface MetricSeries
{
    /** Records one emitted result; {@code amount} is the metric column's value (ignored by counters). */
    void record(double amount);

    /** Registers the meters of {@code metric}'s series with {@code tags} ({@code pipeline} and the labels). */
    static MetricSeries register(MetricSpec metric, Tags tags, MeterRegistry registry)
    {
        String description = metric.description().orElse(null);
        return switch (metric.type()) {
            case COUNTER -> {
                Counter counter = Counter.builder(metric.name()).tags(tags).description(description).register(registry);
                yield amount -> counter.increment();
            }
            case AVERAGE -> new Average(metric, tags, description, registry);
            case HISTOGRAM -> {
                Timer timer = Timer.builder(metric.name()).tags(tags).description(description)
                        .serviceLevelObjectives(boundaries(metric.buckets()))
                        .register(registry);
                yield amount -> timer.record(nanoUnits(amount), TimeUnit.NANOSECONDS);
            }
        };
    }

    /**
     * A histogram value in the timer's unit. Micrometer's DistributionSummary rounds every value up to a
     * whole number before bucketing (so bounds like 0.1 .. 0.9 would stay empty); a Timer counts whole
     * nanoseconds and exports seconds, so recording a value as that many "seconds" keeps nine decimals.
     */
    static long nanoUnits(double amount)
    {
        return Math.round(amount * 1e9);
    }

    private static Duration[] boundaries(List<Double> buckets)
    {
        return buckets.stream().map(bound -> Duration.ofNanos(nanoUnits(bound))).toArray(Duration[]::new);
    }

    /**
     * Mean since registration as a gauge, and its sample count as a counter. The gauge reads sum and count
     * one after the other, so under concurrent records it may be off by the values in flight.
     */
    final class Average
            implements MetricSeries
    {
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        private Average(MetricSpec metric, Tags tags, String description, MeterRegistry registry)
        {
            // the registry holds the gauge and the gauge holds this series strongly, which also keeps the
            // function counter's weak reference alive for as long as the meters are registered
            Gauge.builder(metric.name(), this, Average::mean).tags(tags).description(description).strongReference(true).register(registry);
            FunctionCounter.builder(metric.samplesName(), this, Average::samples).tags(tags)
                    .description(description == null ? null : "Samples of " + metric.name() + ": " + description)
                    .register(registry);
        }

        @Override
        public void record(double amount)
        {
            sum.add(amount);
            count.increment();
        }

        private double mean()
        {
            long samples = count.sum();
            return samples == 0 ? Double.NaN : sum.sum() / samples;
        }

        private double samples()
        {
            return count.sum();
        }
    }
}
