package io.kaflowsql.node.internal.admin;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Admin channels from this node to its peers (one per peer address, made on first use, closed with this), used to
 * forward a call to the node that must act. Every forwarded call carries the cluster's token and the header
 * {@value #FORWARDED_BY_HEADER} naming this node: a forwarded call is never forwarded again (no loops while
 * leadership moves).
 *
 * <p>Thread-safe.
 */
final class PeerChannels
        implements AutoCloseable
{
    static final String FORWARDED_BY_HEADER = "kaflowsql-forwarded-by";
    static final Metadata.Key<String> FORWARDED_BY = Metadata.Key.of(FORWARDED_BY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final String nodeId;
    private final ChannelCredentials credentials;
    private final List<ClientInterceptor> interceptors;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PeerChannels(String nodeId, ChannelCredentials credentials, List<ClientInterceptor> interceptors)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.interceptors = List.copyOf(interceptors);
    }

    /** A stub to the admin service of the node at {@code address} ({@code host:port}); calls are marked forwarded. */
    AdminGrpc.AdminBlockingStub admin(String address)
    {
        return AdminGrpc.newBlockingStub(channel(address)).withInterceptors(new ForwardedBy(nodeId));
    }

    private ManagedChannel channel(String address)
    {
        if (closed) {
            throw new IllegalStateException("the node is stopping: no more forwarded calls");
        }
        return channels.computeIfAbsent(address, target -> Grpc.newChannelBuilder(target, credentials).intercept(interceptors).build());
    }

    @Override
    public void close()
    {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels.values()) {
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }

    private record ForwardedBy(String nodeId)
            implements ClientInterceptor
    {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next)
        {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options))
            {
                @Override
                public void start(Listener<R> listener, Metadata headers)
                {
                    headers.put(FORWARDED_BY, nodeId);
                    super.start(listener, headers);
                }
            };
        }
    }
}
