package io.kaflowsql.node.internal.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.coordinator.cluster.AssignmentRecord;
import io.kaflowsql.coordinator.cluster.ClusterCoordinator;
import io.kaflowsql.coordinator.cluster.LocalTasks;
import io.kaflowsql.coordinator.cluster.NodeStatus;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /cluster}: this node's view of the cluster as JSON — its id, lifecycle, whether it leads, the
 * applied assignment (generation, leader, owner and standbys of every task), the tasks open here, and every
 * live member's published status. For operators, the demo and tests.
 *
 * <p>Thread-safe.
 */
final class ClusterEndpoint
        implements HttpHandler
{
    static final String PATH = "/cluster";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String nodeId;
    private final ClusterCoordinator coordinator;
    private final LocalTasks tasks;

    ClusterEndpoint(String nodeId, ClusterCoordinator coordinator, LocalTasks tasks)
    {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
        this.tasks = requireNonNull(tasks, "tasks is null");
    }

    @Override
    public void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(view());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    ObjectNode view()
    {
        AssignmentRecord record = coordinator.currentAssignment();
        ObjectNode root = JSON.createObjectNode();
        root.put("nodeId", nodeId);
        root.put("lifecycle", coordinator.lifecycle().name());
        root.put("isLeader", coordinator.isLeader());
        root.put("leader", record.leaderNodeId());
        root.put("generation", record.generation());
        ArrayNode owned = root.putArray("owned");
        tasks.ownedTasks().forEach(task -> owned.add(task.toString()));
        ObjectNode owners = root.putObject("owners");
        record.assignment().owners().forEach((task, node) -> owners.put(task.toString(), node));
        ObjectNode standbys = root.putObject("standbys");
        record.assignment().standbys().forEach((task, nodes) -> {
            ArrayNode list = standbys.putArray(task.toString());
            nodes.forEach(list::add);
        });
        ArrayNode members = root.putArray("members");
        List<NodeStatus> peers = coordinator.peers();
        for (NodeStatus peer : peers) {
            ObjectNode member = members.addObject();
            member.put("nodeId", peer.nodeId());
            member.put("lifecycle", peer.lifecycle().name());
            member.put("transferAddress", peer.transferAddress());
            ArrayNode ready = member.putArray("readyPipelines");
            peer.readyPipelines().forEach(ready::add);
            ArrayNode peerOwned = member.putArray("owned");
            peer.ownedTasks().stream().map(TaskId::toString).forEach(peerOwned::add);
            ObjectNode warm = member.putObject("warm");
            peer.warmTasks().forEach((task, offset) -> warm.put(task.toString(), offset));
        }
        return root;
    }
}
