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
        Map<String, Object> config = committedReader(clientId, 2000);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        return consumer(config);
    }

    /** Consumer of dimension topics: every partition, no group (each node keeps a full copy). */
    KafkaConsumer<byte[], byte[]> dimensionConsumer(String clientId)
    {
        Map<String, Object> config = committedReader(clientId, 5000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        return consumer(config);
    }

    /** Consumer that replays one changelog partition into a task store: no group, large fetches. */
    KafkaConsumer<byte[], byte[]> restoreConsumer(String clientId)
    {
        Map<String, Object> config = committedReader(clientId, 10_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        return consumer(config);
    }

    /** Every consumer of the engine reads committed data only, from the start when it has no offset. */
    private Map<String, Object> committedReader(String clientId, int maxPollRecords)
    {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        return config;
    }

    private KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> config)
    {
        return new KafkaConsumer<>(withUserProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
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
        // Kafka's default, no compression: the client's lz4 allocates two 64 KiB buffers for every batch it opens, and with
        // the short linger that keeps latency low a batch holds a few records, so lz4 was 79% of a node's allocation
        // (young collections every half second at 2,000 clicks/s). kafka.properties.compression.type trades CPU for bytes.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        transactionalId.ifPresent(id -> {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            // like Kafka Streams: a crashed owner's open transaction blocks read_committed readers at most this long
            config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(TaskProducer.DEFAULT_TRANSACTION_TIMEOUT_MILLIS));
        });
        return new KafkaProducer<>(withUserProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
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

    /** The task producers' {@code transaction.timeout.ms}: the user's client property if set, else the default. */
    long transactionTimeoutMillis()
    {
        String configured = settings.clientProperties().get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        return configured == null ? TaskProducer.DEFAULT_TRANSACTION_TIMEOUT_MILLIS : Long.parseLong(configured.strip());
    }

    private Map<String, Object> withUserProperties(Map<String, Object> config)
    {
        config.putAll(settings.clientProperties());
        return config;
    }

}
