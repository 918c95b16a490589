package io.kaflowsql.node.internal.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedKafkaBrokerTest
{
    @TempDir
    Path dataDir;

    @Test
    void producesAndConsumesRecordsOnCreatedTopic()
            throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, 4)) {
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            broker.createTopics(Map.of("orders", 3), Map.of("retention.ms", "3600000"));
            broker.createTopics(Map.of("orders", 3), Map.of());

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                TopicDescription description = admin.describeTopics(Set.of("orders")).allTopicNames().get().get("orders");
                assertThat(description.partitions()).hasSize(3);
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
                assertThat(admin.describeConfigs(Set.of(resource)).all().get().get(resource).get("retention.ms").value())
                        .isEqualTo("3600000");
            }

            produce(broker, "orders", List.of("a", "b", "c"));
            assertThat(consumeValues(broker, "orders", "read_uncommitted", 3)).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionOnly()
            throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, 2)) {
            broker.createTopics(Map.of("tx-out", 1), Map.of());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-out", "k", "aborted"));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-out", "k", "committed-1"));
                producer.send(new ProducerRecord<>("tx-out", "k", "committed-2"));
                producer.commitTransaction();
            }
            assertThat(consumeValues(broker, "tx-out", "read_committed", 2)).containsExactly("committed-1", "committed-2");
        }
    }

    @Test
    void restartOnSameDirectoryKeepsRecords()
            throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, 1)) {
            broker.createTopics(Map.of("kept", 1), Map.of());
            produce(broker, "kept", IntStream.range(0, 10).mapToObj(i -> "v" + i).toList());
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, 1)) {
            List<String> values = consumeValues(broker, "kept", "read_uncommitted", 10);
            assertThat(values).containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "v" + i).toList());
        }
    }

    private static void produce(EmbeddedKafkaBroker broker, String topic, List<String> values)
            throws Exception
    {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, "key-" + value, value)).get();
            }
        }
    }

    /** Reads every partition from the start until {@code expected} records arrived, or a generous deadline passed. */
    private static List<String> consumeValues(EmbeddedKafkaBroker broker, String topic, String isolation, int expected)
    {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int attempt = 0; attempt < 100 && values.size() < expected; attempt++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
