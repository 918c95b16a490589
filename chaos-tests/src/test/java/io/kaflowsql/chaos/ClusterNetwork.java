package io.kaflowsql.chaos;

import java.util.List;

/**
 * Where a {@link ClusterHarness} puts the broker and its node processes on the network: the address the broker's
 * client listener binds, the address each node binds and is reached at (cluster, admin and HTTP ports), and the
 * command prefix a node's JVM is started with.
 *
 * <p>{@link #LOOPBACK}: everything on 127.0.0.1 in this machine's network namespace. {@link NetworkNamespaces}:
 * every node in a network namespace of its own, so the network between them can be cut.
 */
interface ClusterNetwork
{
    ClusterNetwork LOOPBACK = new ClusterNetwork()
    {
        @Override
        public String brokerHost()
        {
            return "127.0.0.1";
        }

        @Override
        public String nodeHost(int number)
        {
            return "127.0.0.1";
        }

        @Override
        public List<String> commandPrefix(int number)
        {
            return List.of();
        }
    };

    /** Address the broker binds and advertises; every node reaches it. */
    String brokerHost();

    /** Address of {@code node-<number>} (1-based). */
    String nodeHost(int number);

    /** Put before {@code java ...} when starting {@code node-<number>}. */
    List<String> commandPrefix(int number);
}
