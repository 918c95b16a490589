package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.transfer.StateTransferClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One state-transfer client (one gRPC channel) per peer address, made on first use and closed with this.
 *
 * <p>Thread-safe.
 */
final class TransferClients
        implements AutoCloseable
{
    private final Map<String, StateTransferClient> clients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StateTransferClient to(String address)
    {
        if (closed) {
            throw new IllegalStateException("the node is stopping: no more state transfers");
        }
        return clients.computeIfAbsent(address, StateTransferClient::new);
    }

    @Override
    public void close()
    {
        closed = true;
        clients.values().forEach(StateTransferClient::close);
        clients.clear();
    }
}
