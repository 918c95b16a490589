package io.kaflowsql.node.internal.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of the single-node embedded broker: KRaft combined mode, the controller listener on
 * loopback and the client listener on a given host (127.0.0.1 by default),
 * and internal topics sized for one node.
 *
 * <p>Why each non-default value is there: replication factor and min ISR 1 for the offsets,
 * transaction and share-coordinator topics, or a one-node cluster cannot create them (consumer groups
 * and transactions would hang); no initial rebalance delay, so a consumer group of a demo starts
 * immediately; fewer partitions for the internal topics, which makes the first group join and the
 * first transaction seconds faster on a laptop.
 */
final class BrokerProperties
{
    private static final String INTERNAL_TOPIC_PARTITIONS = "8";

    private BrokerProperties() {}

    /** {@code host} is the client listener's bind and advertised address; the controller listener is on 127.0.0.1. */
    static Properties of(int nodeId, Path logDir, String host, int brokerPort, int controllerPort, int defaultPartitions)
    {
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", Integer.toString(nodeId));
        properties.setProperty("controller.quorum.voters", nodeId + "@127.0.0.1:" + controllerPort);
        properties.setProperty("listeners", "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
        properties.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("log.dirs", logDir.toString());

        properties.setProperty("num.partitions", Integer.toString(defaultPartitions));
        properties.setProperty("default.replication.factor", "1");
        properties.setProperty("min.insync.replicas", "1");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("offsets.topic.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("transaction.state.log.num.partitions", INTERNAL_TOPIC_PARTITIONS);
        properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
        properties.setProperty("share.coordinator.state.topic.min.isr", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        properties.setProperty("auto.create.topics.enable", "true");
        // a transaction left open past its timeout is aborted within a second of it, not up to 10 s later
        properties.setProperty("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Keep data regardless of its timestamps: demo and test data carry event times from the past
        // (the seed's examples are dated 2025), and time-based retention would silently delete it.
        properties.setProperty("log.retention.ms", "-1");
        properties.setProperty("log.retention.bytes", "-1");
        return properties;
    }
}
