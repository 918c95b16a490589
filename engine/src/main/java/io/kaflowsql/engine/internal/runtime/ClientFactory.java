package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Builds the Kafka clients of a pipeline with the engine's defaults, then the user's client properties
 * on top (so operators can set security, timeouts and sizes). Thread-safe.
 */
final class ClientFactory
{
    private final RuntimeSettings settings;

    ClientFactory(RuntimeSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Consumer of the partitioned topics: manual assignment, offsets committed by the stream thread. */
    KafkaConsumer<byte[], byte[]> streamConsumer(String groupId, String clientId)
    {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(withUserProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Consumer of dimension topics: every partition, no group (each node keeps a full copy). */
    KafkaConsumer<byte[], byte[]> dimensionConsumer(String clientId)
    {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        return new KafkaConsumer<>(withUserProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Producer of results: idempotent, acks=all, lingering at most 1 ms (latency matters). */
    KafkaProducer<String, byte[]> outputProducer(String clientId)
    {
        Map<String, Object> config = base();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(withUserProperties(config), new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Producer of one task: results, changelog and dead letters. With a transactional id (exactly-once)
     * every send belongs to the task's current transaction; the id is stable per task, so a new owner's
     * {@code initTransactions} aborts a crashed owner's open transaction and fences a zombie.
     */
    KafkaProducer<byte[], byte[]> taskProducer(String clientId, Optional<String> transactionalId)
    {
        Map<String, Object> config = base();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        transactionalId.ifPresent(id -> {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            // like Kafka Streams: a crashed owner's open transaction blocks read_committed readers at most this long
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TaskProducer.TRANSACTION_TIMEOUT_MILLIS));
        });
        return new KafkaProducer<>(withUserProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Consumer that replays one changelog partition into a task store: no group, committed data only. */
    KafkaConsumer<byte[], byte[]> restoreConsumer(String clientId)
    {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        return new KafkaConsumer<>(withUserProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Admin admin()
    {
        Map<String, Object> config = base();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kaflowsql-admin");
        return Admin.create(withUserProperties(config));
    }

    private Map<String, Object> base()
    {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return config;
    }

    private Map<String, Object> withUserProperties(Map<String, Object> config)
    {
        config.putAll(settings.clientProperties());
        return config;
    }

}
