package io.kaflowsql.node.bench.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * How far an engine got, read the same way for both engines: the offsets its consumer group committed on
 * the click topic (each engine commits them with its results, every commit interval), against the topic's
 * end offsets. One admin client for the whole benchmark. Thread-safe (the admin client is).
 */
final class Offsets
        implements AutoCloseable
{
    private final Admin admin;

    Offsets(String bootstrapServers)
    {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Sum over the partitions of {@code topic} of the offsets {@code group} committed (0 for a partition without one). */
    long committed(String group, String topic)
    {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "offsets of " + group);
        return offsets.entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                .mapToLong(entry -> entry.getValue().offset())
                .sum();
    }

    /** Sum of the end offsets of {@code topic}'s partitions: the records written to it (plus transaction markers, if any). */
    long end(String topic, int partitions)
    {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> offsets = get(admin.listOffsets(request).all(), "end offsets of " + topic);
        return offsets.values().stream().mapToLong(ListOffsetsResultInfo::offset).sum();
    }

    private static <T> T get(KafkaFuture<T> future, String what)
    {
        try {
            return future.get();
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot read " + what, e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + what, e);
        }
    }

    @Override
    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
