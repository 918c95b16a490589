package io.kaflowsql.node.internal.cluster;

import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.coordinator.cluster.ClusterSettings;
import io.kaflowsql.coordinator.cluster.KubernetesDiscovery;
import io.kaflowsql.coordinator.cluster.NodeLifecycle;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.catalog.PipelineSet;
import io.kaflowsql.node.internal.http.NodeHttpServer;
import io.kaflowsql.protocol.FormatVersions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * This node as a cluster member: the clients fetching checkpoints and dimension snapshots from peers (their
 * state-transfer service is on the node's gRPC server, see {@code AdminServer}), the Hazelcast-backed {@link ClusterCoordinator} driving the pipeline runtimes through
 * {@link RuntimeTasks}, and the runtimes started in cluster mode (dimensions bootstrapped from a peer).
 *
 * <p>Start order: the node's gRPC server (its bound port is what peers are told), then this: coordinator, runtimes.
 * Stop order is the reverse, after a drain: the gRPC server stays up while peers warm the tasks this node hands over.
 *
 * <p>Thread-safe.
 */
public final class ClusterMembership
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final String nodeId;
    private final TransferClients clients;
    private final RuntimeTasks tasks;
    private final ClusterCoordinator coordinator;

    private ClusterMembership(String nodeId, TransferClients clients, RuntimeTasks tasks, ClusterCoordinator coordinator)
    {
        this.nodeId = nodeId;
        this.clients = clients;
        this.tasks = tasks;
        this.coordinator = coordinator;
    }

    /**
     * Joins the cluster and starts the runtimes of {@code pipelines} in cluster mode, and every runtime added later
     * (catalog pipelines); registers {@code /cluster} on {@code http}.
     *
     * @param adminPort the port the node's gRPC server (admin API and state transfer) is bound to: what peers are told
     * @param peerCredentials TLS or plaintext, as the peers' admin ports speak
     * @param peerInterceptors interceptors of every state transfer from a peer (the cluster's admin token)
     * @param formats the node's format versions: advertised to the members and negotiated with them from now on
     */
    public static ClusterMembership start(NodeConfig config, PipelineSet pipelines, Clock clock, MeterRegistry registry, NodeHttpServer http,
            int adminPort, ChannelCredentials peerCredentials, List<ClientInterceptor> peerInterceptors, FormatVersions formats)
    {
        NodeConfig.ClusterSettings cluster = config.cluster();
        TransferClients clients = new TransferClients(peerCredentials, peerInterceptors, formats);
        String transferAddress = advertisedHost(cluster.host()) + ":" + adminPort;
        log.info("Node {} serves state transfer on {}", cluster.nodeId(), transferAddress);
        List<PipelineRuntime> initial = pipelines.runtimes();
        RuntimeTasks tasks = new RuntimeTasks(pipelines::byName, (task, owner, into) -> {
            if (clients.to(owner).fetchCheckpoint(task.pipeline(), task.partition(), into).isEmpty()) {
                log.info("Task {}: its owner has no checkpoint yet; warming from the changelog alone", task);
            }
        });
        ClusterCoordinator coordinator;
        try {
            coordinator = ClusterCoordinator.start(coordinatorSettings(cluster, transferAddress).withFormats(formats), tasks,
                    // only file pipelines hold the node in BOOTSTRAPPING: a catalog pipeline may be deleted meanwhile
                    initial.stream().map(runtime -> runtime.pipeline().name()).filter(pipelines::isFile).collect(Collectors.toSet()), clock,
                    new ClusterMeters(cluster.nodeId(), registry));
        }
        catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        PeerDimensionBootstrap bootstrap = new PeerDimensionBootstrap(cluster.nodeId(), coordinator::peers, clients);
        pipelines.startAll(runtime -> {
            if (initial.stream().noneMatch(known -> known == runtime)) {
                tasks.adopt(runtime); // a pipeline deployed after the coordinator started
            }
            runtime.startClustered(bootstrap);
        }, tasks::pipelinesChanged);
        http.addExactHandler(ClusterEndpoint.PATH, new ClusterEndpoint(cluster.nodeId(), coordinator, tasks));
        return new ClusterMembership(cluster.nodeId(), clients, tasks, coordinator);
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
    public static String advertisedHost(String host)
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
        clients.close();
        log.info("Node {} left the cluster", nodeId);
    }
}
