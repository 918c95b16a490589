package io.kaflowsql.node.internal.cluster;

import io.kaflowsql.coordinator.cluster.NodeLifecycle;
import io.kaflowsql.coordinator.cluster.NodeStatus;
import io.kaflowsql.engine.api.runtime.DimensionBootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A joining node's head start on dimension tables: a snapshot fetched from a peer whose copy of the pipeline's
 * dimensions is ready. Tries each such peer once; with none (the first node, or every peer failed) the
 * pipeline reads the dimension topics from the beginning as a standalone node does.
 *
 * <p>Thread-safe.
 */
final class PeerDimensionBootstrap
        implements DimensionBootstrap
{
    private static final Logger log = LoggerFactory.getLogger(PeerDimensionBootstrap.class);
    /** The coordinator publishes the first view of the peers within a poll interval of joining. */
    private static final Duration FIRST_VIEW_TIMEOUT = Duration.ofSeconds(5);

    private final String nodeId;
    private final Supplier<List<NodeStatus>> peers;
    private final TransferClients clients;

    PeerDimensionBootstrap(String nodeId, Supplier<List<NodeStatus>> peers, TransferClients clients)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.peers = requireNonNull(peers, "peers is null");
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public Optional<Path> fetchSnapshot(String pipeline, Path directory)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + FIRST_VIEW_TIMEOUT.toNanos();
        while (peers.get().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<NodeStatus> donors = peers.get().stream()
                .filter(peer -> !peer.nodeId().equals(nodeId))
                .filter(peer -> peer.lifecycle() == NodeLifecycle.READY || peer.lifecycle() == NodeLifecycle.DRAINING)
                .filter(peer -> peer.readyPipelines().contains(pipeline))
                .toList();
        for (NodeStatus donor : donors) {
            try {
                log.info("Pipeline {}: fetching a dimension snapshot from {} at {}", pipeline, donor.nodeId(), donor.transferAddress());
                return Optional.of(clients.to(donor.transferAddress()).fetchDimensionSnapshot(pipeline, directory));
            }
            catch (RuntimeException e) {
                log.warn("Pipeline {}: no dimension snapshot from {} ({}); trying the next peer", pipeline, donor.nodeId(), e.toString());
            }
        }
        if (!donors.isEmpty()) {
            log.warn("Pipeline {}: no peer could send a dimension snapshot; reading the dimension topics from the beginning", pipeline);
        }
        return Optional.empty();
    }
}
