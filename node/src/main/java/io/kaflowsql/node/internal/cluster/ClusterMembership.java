package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.coordinator.cluster.ClusterSettings;
import io.kaflowsql.coordinator.cluster.KubernetesDiscovery;
import io.kaflowsql.coordinator.cluster.NodeLifecycle;
import io.kaflowsql.coordinator.transfer.StateTransferServer;
import io.kaflowsql.coordinator.transfer.StateTransferService;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.http.NodeHttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * This node as a cluster member: the state-transfer gRPC server (peers fetch checkpoints and dimension
 * snapshots from it), the Hazelcast-backed {@link ClusterCoordinator} driving the pipeline runtimes through
 * {@link RuntimeTasks}, and the runtimes started in cluster mode (dimensions bootstrapped from a peer).
 *
 * <p>Start order: transfer server (its bound port is what peers are told), coordinator, runtimes. Stop order
 * is the reverse, after a drain: the transfer server stays up while peers warm the tasks this node hands over.
 *
 * <p>Thread-safe.
 */
public final class ClusterMembership
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final String nodeId;
    private final StateTransferService transferService;
    private final StateTransferServer transferServer;
    private final TransferClients clients;
    private final RuntimeTasks tasks;
    private final ClusterCoordinator coordinator;

    private ClusterMembership(String nodeId, StateTransferService transferService, StateTransferServer transferServer, TransferClients clients,
            RuntimeTasks tasks, ClusterCoordinator coordinator)
    {
        this.nodeId = nodeId;
        this.transferService = transferService;
        this.transferServer = transferServer;
        this.clients = clients;
        this.tasks = tasks;
        this.coordinator = coordinator;
    }

    /** Joins the cluster and starts {@code runtimes} in cluster mode; registers {@code /cluster} on {@code http}. */
    public static ClusterMembership start(NodeConfig config, List<PipelineRuntime> runtimes, Clock clock, MeterRegistry registry, NodeHttpServer http)
    {
        NodeConfig.ClusterSettings cluster = config.cluster();
        TransferClients clients = new TransferClients();
        StateTransferService transferService = new StateTransferService(new RuntimeTransferSources(runtimes), config.state().dir().resolve("transfer"));
        StateTransferServer transferServer;
        try {
            transferServer = StateTransferServer.start(new InetSocketAddress(cluster.host(), cluster.adminPort()), transferService, List.of());
        }
        catch (IOException e) {
            transferService.close();
            throw new UncheckedIOException("cannot listen on admin port " + cluster.host() + ":" + cluster.adminPort()
                    + " (admin.port / --admin-port): " + e.getMessage(), e);
        }
        String transferAddress = advertisedHost(cluster.host()) + ":" + transferServer.port();
        log.info("Node {} serves state transfer on {}", cluster.nodeId(), transferAddress);
        RuntimeTasks tasks = new RuntimeTasks(runtimes, (task, owner, into) -> {
            if (clients.to(owner).fetchCheckpoint(task.pipeline(), task.partition(), into).isEmpty()) {
                log.info("Task {}: its owner has no checkpoint yet; warming from the changelog alone", task);
            }
        });
        ClusterCoordinator coordinator;
        try {
            coordinator = ClusterCoordinator.start(coordinatorSettings(cluster, transferAddress), tasks,
                    runtimes.stream().map(runtime -> runtime.pipeline().name()).collect(Collectors.toSet()), clock,
                    new ClusterMeters(cluster.nodeId(), registry));
        }
        catch (RuntimeException e) {
            transferServer.close();
            transferService.close();
            clients.close();
            throw e;
        }
        PeerDimensionBootstrap bootstrap = new PeerDimensionBootstrap(cluster.nodeId(), coordinator::peers, clients);
        runtimes.forEach(runtime -> runtime.startClustered(bootstrap));
        http.addExactHandler(ClusterEndpoint.PATH, new ClusterEndpoint(cluster.nodeId(), coordinator, tasks));
        return new ClusterMembership(cluster.nodeId(), transferService, transferServer, clients, tasks, coordinator);
    }

    static ClusterSettings coordinatorSettings(NodeConfig.ClusterSettings cluster, String transferAddress)
    {
        ClusterSettings settings = ClusterSettings.defaults(cluster.nodeId(), cluster.port(), transferAddress)
                .withClusterName(cluster.name())
                .withBinding(cluster.host(), Optional.empty())
                .withMembers(cluster.members())
                .withFailureDetection(cluster.heartbeatInterval(), cluster.failureTimeout())
                .withMinSize(cluster.minSize())
                .withStandbyReplicas(cluster.standbyReplicas())
                .withTimings(cluster.standbyRefresh(), ClusterSettings.DEFAULT_HANDOVER_TIMEOUT, ClusterSettings.DEFAULT_POLL_INTERVAL);
        if (cluster.kubernetesServiceDns().isPresent() || cluster.kubernetesNamespace().isPresent()) {
            settings = settings.withKubernetes(new KubernetesDiscovery(cluster.kubernetesServiceDns(), cluster.kubernetesNamespace()));
        }
        return settings;
    }

    /** Peers cannot connect to a wildcard address: advertise this host's address instead. */
    private static String advertisedHost(String host)
    {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException("cluster.host " + host + " listens everywhere and this host's address cannot be resolved; "
                    + "set cluster.host to the address peers reach this node at", e);
        }
    }

    public NodeLifecycle lifecycle()
    {
        return coordinator.lifecycle();
    }

    public boolean isReady()
    {
        return coordinator.lifecycle() == NodeLifecycle.READY;
    }

    public ClusterCoordinator coordinator()
    {
        return coordinator;
    }

    /** Tasks open on this node. */
    public Set<String> ownedTasks()
    {
        return tasks.ownedTasks().stream().map(Object::toString).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Moves this node's tasks to the others (planned moves); false if some are still here after {@code timeout}. */
    public boolean drain(Duration timeout)
            throws InterruptedException
    {
        return coordinator.drain(timeout);
    }

    /** Leaves the cluster (releasing any task still open) and stops serving state. Call before closing the runtimes. */
    public void leave()
    {
        coordinator.close();
    }

    @Override
    public void close()
    {
        coordinator.close();
        transferServer.close();
        transferService.close();
        clients.close();
        log.info("Node {} left the cluster", nodeId);
    }
}
