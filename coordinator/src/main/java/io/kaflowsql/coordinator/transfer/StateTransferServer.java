package io.kaflowsql.coordinator.transfer;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The node's gRPC server: the state-transfer service plus whatever other services the node adds (e.g. the
 * admin API). Owns the transfer service: {@link #close()} stops the server gracefully, then releases every
 * pin. Thread-safe.
 */
public final class StateTransferServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(StateTransferServer.class);
    private static final long GRACE_SECONDS = 5;
    /** Chunks are at most 4 MiB; leave room for the envelope. */
    static final int MAX_MESSAGE_BYTES = 8 << 20;

    private final Server server;
    private final StateTransferService transfer;
    private final InetSocketAddress address;

    private StateTransferServer(Server server, StateTransferService transfer, InetSocketAddress address)
    {
        this.server = requireNonNull(server, "server is null");
        this.transfer = requireNonNull(transfer, "transfer is null");
        this.address = requireNonNull(address, "address is null");
    }

    /** Starts serving on {@code address} (port 0 picks a free port; see {@link #port()}). */
    public static StateTransferServer start(InetSocketAddress address, StateTransferService transfer, List<? extends BindableService> additionalServices)
            throws IOException
    {
        return start(address, transfer, additionalServices, List.of());
    }

    /** Like {@link #start(InetSocketAddress, StateTransferService, List)}, with interceptors on every call. */
    public static StateTransferServer start(InetSocketAddress address, StateTransferService transfer, List<? extends BindableService> additionalServices,
            List<? extends ServerInterceptor> interceptors)
            throws IOException
    {
        return start(address, InsecureServerCredentials.create(), transfer, additionalServices, interceptors);
    }

    /** Like {@link #start(InetSocketAddress, StateTransferService, List, List)}, with TLS when {@code credentials} say so. */
    public static StateTransferServer start(InetSocketAddress address, ServerCredentials credentials, StateTransferService transfer,
            List<? extends BindableService> additionalServices, List<? extends ServerInterceptor> interceptors)
            throws IOException
    {
        requireNonNull(address, "address is null");
        NettyServerBuilder builder = NettyServerBuilder.forAddress(address, requireNonNull(credentials, "credentials is null"))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(requireNonNull(transfer, "transfer is null"));
        additionalServices.forEach(builder::addService);
        interceptors.forEach(builder::intercept);
        Server server = builder.build().start();
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), server.getPort());
        log.info("State transfer server listening on {}", bound);
        return new StateTransferServer(server, transfer, bound);
    }

    /** The port bound (the free one picked when started with port 0). */
    public int port()
    {
        return address.getPort();
    }

    public InetSocketAddress address()
    {
        return address;
    }

    @Override
    public void close()
    {
        server.shutdown();
        try {
            if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
                log.info("State transfer calls still running after {}s: cancelling them", GRACE_SECONDS);
                server.shutdownNow();
                server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        finally {
            transfer.close();
        }
    }
}
