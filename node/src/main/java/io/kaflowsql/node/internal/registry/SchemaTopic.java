package io.kaflowsql.node.internal.registry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The compacted Kafka topic {@code _schemas} (one partition, so its order is the order of changes)
 * that holds the registry durably: {@link #readAll} reads it from the beginning to the end offset
 * seen at the call, {@link #append} produces with {@code acks=all} and an idempotent producer and
 * waits for every acknowledgement.
 *
 * <p>Thread-safe for {@link #append} (Kafka's producer is); {@link #readAll} is meant for start-up.
 */
final class SchemaTopic
        implements SchemaStore.Log, AutoCloseable
{
    static final String NAME = "_schemas";

    private static final Logger log = LoggerFactory.getLogger(SchemaTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, String> producer;

    private SchemaTopic(Map<String, Object> clientConfig, KafkaProducer<String, String> producer)
    {
        this.clientConfig = Map.copyOf(clientConfig);
        this.producer = requireNonNull(producer, "producer is null");
    }

    /** Creates the topic when missing (broker-default replication factor) and opens the producer. */
    static SchemaTopic open(String bootstrapServers, Map<String, String> clientProperties)
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        Map<String, Object> clientConfig = new HashMap<>(requireNonNull(clientProperties, "clientProperties is null"));
        clientConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        createIfMissing(clientConfig);
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kaflowsql-schema-registry");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new SchemaTopic(clientConfig, new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()));
    }

    /** Every record from the beginning to the current end, decoded; records that cannot be decoded are logged and skipped. */
    List<RegistryRecord> readAll()
    {
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "kaflowsql-schema-registry-reader");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        List<RegistryRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION), TIMEOUT).get(PARTITION);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(PARTITION, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading topic " + NAME + " up to offset " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record).ifPresent(records::add);
                }
            }
        }
        return records;
    }

    @Override
    public void append(List<RegistryRecord> records)
    {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (RegistryRecord record : records) {
            sends.add(producer.send(new ProducerRecord<>(NAME, 0, record.key(), record.value())));
        }
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to " + NAME, e);
            }
            catch (ExecutionException e) {
                throw new IllegalStateException("cannot write to " + NAME + ": " + e.getCause().getMessage(), e.getCause());
            }
            catch (TimeoutException e) {
                throw new IllegalStateException("timed out writing to " + NAME, e);
            }
        }
    }

    @Override
    public void close()
    {
        producer.close(Duration.ofSeconds(5));
    }

    private static Optional<RegistryRecord> decode(ConsumerRecord<String, String> record)
    {
        try {
            return record.key() == null ? Optional.empty() : RegistryRecord.decode(record.key(), record.value());
        }
        catch (IllegalArgumentException e) {
            log.warn("Skipping record at offset {} of {}: {}", record.offset(), NAME, e.getMessage());
            return Optional.empty();
        }
    }

    private static void createIfMissing(Map<String, Object> clientConfig)
    {
        try (Admin admin = Admin.create(clientConfig)) {
            NewTopic topic = new NewTopic(NAME, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(topic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                log.debug("Created topic {}", NAME);
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + NAME + ": " + e.getCause().getMessage(), e.getCause());
                }
                warnUnlessCompacted(admin);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + NAME, e);
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topic " + NAME + ": " + e.getCause().getMessage(), e.getCause());
        }
        catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + NAME + " (is Kafka reachable?)", e);
        }
    }

    private static void warnUnlessCompacted(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException
    {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, NAME);
        Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            log.warn("Topic {} is not compacted (cleanup.policy={}); old schemas may be deleted by retention. Set cleanup.policy=compact",
                    NAME, policy == null ? "?" : policy.value());
        }
    }
}
