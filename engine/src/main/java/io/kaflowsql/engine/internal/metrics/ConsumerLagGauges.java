package io.kaflowsql.engine.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * {@code kaflowsql_consumer_lag{pipeline,source,partition}}: records between a consumer's position and the
 * end of each partition it reads, as of the consumer's last fetch.
 *
 * <p>Kafka consumers are not thread-safe, so a gauge never touches one: the consumer's own thread calls
 * {@link #sample} (after a poll; {@code Consumer#currentLag} answers from local state, no request), which
 * stores the values that scrapes read. NaN until the consumer knows the lag of a partition.
 *
 * <p>Thread-safe. {@link #close()} removes the gauges.
 */
public final class ConsumerLagGauges
        implements AutoCloseable
{
    public static final String CONSUMER_LAG = "kaflowsql.consumer.lag";

    private final RegisteredMeters meters;
    private final Tags tags;
    private final Map<TopicPartition, LagValue> lags = new ConcurrentHashMap<>();

    ConsumerLagGauges(RegisteredMeters meters, Tags tags)
    {
        this.meters = requireNonNull(meters, "meters is null");
        this.tags = requireNonNull(tags, "tags is null");
    }

    /** Registers the gauges of {@code partitions} (NaN until sampled). */
    public void track(Collection<TopicPartition> partitions)
    {
        partitions.forEach(this::lagOf);
    }

    /** Reads the lag of every tracked partition from {@code consumer}; call on the consumer's thread. */
    public void sample(Consumer<?, ?> consumer)
    {
        for (Map.Entry<TopicPartition, LagValue> entry : lags.entrySet()) {
            OptionalLong lag;
            try {
                lag = consumer.currentLag(entry.getKey());
            }
            catch (IllegalStateException e) {
                lag = OptionalLong.empty(); // not assigned (any more)
            }
            entry.getValue().value = lag.isPresent() ? lag.getAsLong() : Double.NaN;
        }
    }

    /** Last sampled lag of {@code partition}, NaN if unknown. */
    public double lag(TopicPartition partition)
    {
        LagValue value = lags.get(partition);
        return value == null ? Double.NaN : value.value;
    }

    private LagValue lagOf(TopicPartition partition)
    {
        return lags.computeIfAbsent(partition, key -> {
            LagValue value = new LagValue();
            meters.add(Gauge.builder(CONSUMER_LAG, value, lag -> lag.value)
                    .description("Records not yet consumed, per input partition, as of the consumer's last fetch (NaN until known)")
                    .tags(tags.and("source", key.topic(), "partition", Integer.toString(key.partition())))
                    .strongReference(true)
                    .register(meters.registry()));
            return value;
        });
    }

    @Override
    public void close()
    {
        meters.close();
    }

    private static final class LagValue
    {
        volatile double value = Double.NaN;
    }
}
