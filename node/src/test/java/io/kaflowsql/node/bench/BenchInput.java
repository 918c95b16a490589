package io.kaflowsql.node.bench;

import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Input of the cluster benchmarks, written fast (batched, unacknowledged one by one, generated in
 * parallel) before the nodes start, and the offsets that tell how far a consumer group got. Stateless;
 * thread-safe.
 */
public final class BenchInput
{
    private BenchInput() {}

    /**
     * Writes {@code users} purchase-history rows with distinct {@code user_id}s ({@code user_00000001} ..),
     * all stamped {@code nowMillis} (none expires under the seed's 24 h TTL); they spread over the topic's
     * partitions by key hash. Returns the rows per partition (the topic's end offsets).
     */
    static Map<Integer, Long> produceEventTable(String bootstrapServers, int users, long nowMillis)
    {
        PersonalizationDataset history = new PersonalizationDataset(GeneratorSettings.defaults()
                .withUsers(users).withProducts(100).withPurchaseHistoryShare(1.0).withStartEpochMillis(nowMillis));
        produce(bootstrapServers, history.purchaseHistoryStream().parallel());
        return endOffsets(bootstrapServers, PersonalizationTopics.PURCHASE_HISTORY);
    }

    /** Writes every user profile and product of {@code dataset}. */
    static void produceDimensions(String bootstrapServers, PersonalizationDataset dataset)
    {
        produce(bootstrapServers, Stream.concat(dataset.userProfileStream(), dataset.productStream()).parallel());
    }

    /** Sends every record with one producer (batched, acks=1), then flushes; throws if any failed. */
    public static void produce(String bootstrapServers, Stream<GeneratedRecord> records)
    {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> first = new AtomicReference<>();
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            records.forEach(record -> producer.send(new ProducerRecord<>(record.topic(), null, record.timestampMillis(), record.key(), record.json()),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failed.incrementAndGet();
                            first.compareAndSet(null, exception);
                        }
                    }));
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records could not be sent", first.get());
        }
    }

    /** End offset of each partition of {@code topic}. */
    static Map<Integer, Long> endOffsets(String bootstrapServers, String topic)
    {
        try (Admin admin = admin(bootstrapServers)) {
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
            for (int partition = 0; partition < partitions; partition++) {
                request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin.listOffsets(request).all().get();
            Map<Integer, Long> offsets = new TreeMap<>();
            result.forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
            return offsets;
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Offsets of {@code topic} committed by consumer group {@code group} (absent partitions: none committed). */
    static Map<Integer, Long> committed(String bootstrapServers, String group, String topic)
    {
        try (Admin admin = admin(bootstrapServers)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<Integer, Long> offsets = new TreeMap<>();
            committed.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    offsets.put(partition.partition(), offset.offset());
                }
            });
            return offsets;
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code group} has committed every partition of {@code topic} up to its end. */
    static boolean caughtUp(String bootstrapServers, String group, String topic)
    {
        Map<Integer, Long> ends = endOffsets(bootstrapServers, topic);
        Map<Integer, Long> committed = committed(bootstrapServers, group, topic);
        return ends.entrySet().stream().allMatch(end -> committed.getOrDefault(end.getKey(), 0L) >= end.getValue());
    }

    private static Admin admin(String bootstrapServers)
    {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
