package io.kaflowsql.node.internal.demo;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;

import java.nio.file.Path;
import java.util.Map;

/**
 * The Kafka cluster a demo or load test runs against: a broker it embeds (the default) or an existing
 * cluster ({@code kaflowsql load-test --bootstrap}). Either way the run creates the topics it needs.
 */
interface DemoKafka
        extends AutoCloseable
{
    String bootstrapServers();

    /** How the cluster is reached, for the console: {@code embedded, KRaft} or {@code external}. */
    String kind();

    boolean isEmbedded();

    /** Creates the missing topics with these partition counts and configs; existing topics stay as they are. */
    void createTopics(Map<String, Integer> partitions, Map<String, String> configs);

    @Override
    void close();

    static DemoKafka embedded(Path dataDir, int defaultPartitions)
    {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0, defaultPartitions);
        return new DemoKafka()
        {
            @Override
            public String bootstrapServers()
            {
                return broker.bootstrapServers();
            }

            @Override
            public String kind()
            {
                return "embedded, KRaft";
            }

            @Override
            public boolean isEmbedded()
            {
                return true;
            }

            @Override
            public void createTopics(Map<String, Integer> partitions, Map<String, String> configs)
            {
                broker.createTopics(partitions, configs);
            }

            @Override
            public void close()
            {
                broker.close();
            }
        };
    }
}
