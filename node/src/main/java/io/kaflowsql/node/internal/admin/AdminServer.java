package io.kaflowsql.node.internal.admin;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.kaflowsql.coordinator.transfer.StateTransferServer;
import io.kaflowsql.coordinator.transfer.StateTransferService;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.catalog.PipelineSet;
import io.kaflowsql.node.internal.cluster.ClusterMembership;
import io.kaflowsql.node.internal.cluster.RuntimeTransferSources;
import io.kaflowsql.protocol.FormatVersions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The node's gRPC server on {@code admin.port}, started by every node (standalone or clustered): the admin API and
 * node-to-node state transfer behind the token check ({@link AuthInterceptor}), over TLS when {@code admin.tls.*} is
 * configured. Also what the node needs to call its peers the same way ({@link #peerCredentials()},
 * {@link #peerInterceptors()}).
 *
 * <p>Lifecycle: {@link #start} before the cluster membership (peers are told the bound port), {@link #close()}
 * after it left the cluster (peers may still fetch state while this node drains). Thread-safe.
 */
public final class AdminServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final StateTransferService transfer;
    private final StateTransferServer server;
    private final PeerChannels peers;
    private final NodeDrainer drainer;
    private final ScheduledExecutorService sampler;
    private final ChannelCredentials peerCredentials;
    private final List<ClientInterceptor> peerInterceptors;
    private final DashboardViews dashboard;

    private AdminServer(StateTransferService transfer, StateTransferServer server, PeerChannels peers, NodeDrainer drainer,
            ScheduledExecutorService sampler, ChannelCredentials peerCredentials, List<ClientInterceptor> peerInterceptors, DashboardViews dashboard)
    {
        this.transfer = transfer;
        this.server = server;
        this.peers = peers;
        this.drainer = drainer;
        this.sampler = sampler;
        this.peerCredentials = peerCredentials;
        this.peerInterceptors = peerInterceptors;
        this.dashboard = dashboard;
    }

    /**
     * Listens on {@code cluster.host:admin.port}.
     *
     * @param membership the node's cluster membership once it joined (always empty on a standalone node)
     * @param advertisedHost the host peers and clients reach this node at
     * @param catalog the catalog changes of the admin API go to on the leader (other nodes forward them there)
     * @param formats the node's format versions: state transfer speaks them, cluster status shows them
     */
    public static AdminServer start(NodeConfig config, PipelineSet pipelines, Supplier<Optional<ClusterMembership>> membership,
            MeterRegistry registry, String advertisedHost, String version, PipelineCatalog catalog, Clock clock, FormatVersions formats)
    {
        requireNonNull(config, "config is null");
        NodeConfig.ClusterSettings cluster = config.cluster();
        NodeConfig.AdminSettings settings = config.admin();
        if (settings.token().isEmpty()) {
            log.warn("No admin.token configured: the admin API refuses every call, and node-to-node state transfer is not authenticated. "
                    + "Set admin.token (or admin.token-file, or KAFLOWSQL_ADMIN_TOKEN) on every node");
        }
        List<ClientInterceptor> interceptors = settings.token().<List<ClientInterceptor>>map(token -> List.of(new BearerToken(token))).orElse(List.of());
        ChannelCredentials credentials = AdminTls.peers(settings);
        PipelineRates rates = new PipelineRates(pipelines::runtimes, System::nanoTime);
        PeerChannels peers = new PeerChannels(cluster.nodeId(), credentials, interceptors);
        NodeDrainer drainer = new NodeDrainer(cluster.nodeId());
        StateTransferService transfer = new StateTransferService(new RuntimeTransferSources(pipelines::runtime), config.state().dir().resolve("transfer"), formats);
        InetSocketAddress[] bound = new InetSocketAddress[1];
        AdminContext context = new AdminContext(cluster.nodeId(), cluster.name(), () -> advertisedHost + ":" + bound[0].getPort(), version, pipelines,
                membership, registry, formats);
        NodeActions actions = new NodeActions(context, peers, drainer, clock);
        AdminService service = new AdminService(context, rates, new LeaderCatalog(catalog, context, peers), actions);
        StateTransferServer server;
        try {
            server = StateTransferServer.start(new InetSocketAddress(cluster.host(), cluster.adminPort()), AdminTls.server(settings), transfer,
                    List.of(service), List.of(new AdminService.ForwardedHeader(), new AuthInterceptor(settings.token())));
        }
        catch (IOException e) {
            transfer.close();
            peers.close();
            drainer.close();
            throw new UncheckedIOException("cannot listen on admin port " + cluster.host() + ":" + cluster.adminPort()
                    + " (admin.port / --admin-port): " + e.getMessage(), e);
        }
        bound[0] = server.address();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kaflowsql-admin-rates");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(rates::sample, 0, 1, TimeUnit.SECONDS);
        log.info("Admin API of node {} on {}:{} ({}, {})", cluster.nodeId(), advertisedHost, server.port(), settings.tls() ? "TLS" : "plaintext",
                settings.token().isPresent() ? "token required" : "disabled: no token");
        return new AdminServer(transfer, server, peers, drainer, sampler, credentials, interceptors, new DashboardViews(context, rates, actions::askNode, clock));
    }

    /** The port bound (the free one picked when {@code admin.port} is 0). */
    public int port()
    {
        return server.port();
    }

    /** The figures of the HTTP dashboard, read from the same views as the admin API's answers. */
    public DashboardViews dashboard()
    {
        return dashboard;
    }

    /** Credentials for calling a peer's admin port (TLS when this node's port speaks TLS). */
    public ChannelCredentials peerCredentials()
    {
        return peerCredentials;
    }

    /** Interceptors of every call to a peer (the cluster's token). */
    public List<ClientInterceptor> peerInterceptors()
    {
        return peerInterceptors;
    }

    @Override
    public void close()
    {
        sampler.shutdownNow();
        drainer.close();
        peers.close();
        server.close(); // also releases the transfer service's pins
        transfer.close();
    }
}
