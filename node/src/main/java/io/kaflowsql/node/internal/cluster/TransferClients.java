package io.kaflowsql.node.internal.cluster;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.kaflowsql.coordinator.transfer.StateTransferClient;

import io.kaflowsql.protocol.FormatVersions;

import java.time.Clock;
import io.kaflowsql.protocol.FormatVersions;

import java.util.List;
import io.kaflowsql.protocol.FormatVersions;

import java.util.Map;
import io.kaflowsql.protocol.FormatVersions;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One state-transfer client (one gRPC channel) per peer address, made on first use and closed with this. Every
 * client speaks TLS or plaintext as the peers' admin ports do, and sends the cluster's admin token.
 *
 * <p>Thread-safe.
 */
final class TransferClients
        implements AutoCloseable
{
    private final Map<String, StateTransferClient> clients = new ConcurrentHashMap<>();
    private final ChannelCredentials credentials;
    private final List<ClientInterceptor> interceptors;
    private final FormatVersions formats;
    private volatile boolean closed;

    TransferClients(ChannelCredentials credentials, List<ClientInterceptor> interceptors, FormatVersions formats)
    {
        this.formats = java.util.Objects.requireNonNull(formats, "formats is null");
        this.credentials = java.util.Objects.requireNonNull(credentials, "credentials is null");
        this.interceptors = List.copyOf(interceptors);
    }

    StateTransferClient to(String address)
    {
        if (closed) {
            throw new IllegalStateException("the node is stopping: no more state transfers");
        }
        return clients.computeIfAbsent(address,
                target -> new StateTransferClient(target, StateTransferClient.Settings.DEFAULTS, Clock.systemUTC(), credentials, interceptors, formats));
    }

    @Override
    public void close()
    {
        closed = true;
        clients.values().forEach(StateTransferClient::close);
        clients.clear();
    }
}
