package io.kaflowsql.coordinator.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.coordinator.assignment.TaskId;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * What one node tells the cluster about itself, published as JSON in the map {@value HazelcastMembers#NODES_MAP}
 * under its node id. The JSON carries a {@code version}; readers ignore fields they do not know, so a newer node
 * can add fields during a rolling upgrade. Immutable; collections sorted.
 *
 * @param memberUuid the Hazelcast member this status belongs to: a status whose member is gone is ignored
 * @param transferAddress the node's state-transfer gRPC {@code host:port}
 * @param partitionCounts pipeline -> partition count of the pipelines deployed here (their tasks are 0..count-1)
 * @param readyPipelines pipelines whose dimensions are ready here
 * @param ownedTasks tasks open and processing here now
 * @param preparedTasks tasks handed over to this node whose state it restored ahead: their previous owner may
 *        release them now (absent in the JSON of older nodes: empty)
 * @param warmTasks standby copies held here: task -> changelog offset
 */
public record NodeStatus(
        String nodeId,
        UUID memberUuid,
        String transferAddress,
        NodeLifecycle lifecycle,
        Map<String, Integer> partitionCounts,
        Set<String> readyPipelines,
        Set<TaskId> ownedTasks,
        Set<TaskId> preparedTasks,
        Map<TaskId, Long> warmTasks,
        Instant updatedAt)
{
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public NodeStatus
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(memberUuid, "memberUuid is null");
        requireNonNull(transferAddress, "transferAddress is null");
        requireNonNull(lifecycle, "lifecycle is null");
        partitionCounts = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(partitionCounts, "partitionCounts is null")));
        readyPipelines = Collections.unmodifiableSet(new TreeSet<>(requireNonNull(readyPipelines, "readyPipelines is null")));
        ownedTasks = Collections.unmodifiableSet(new TreeSet<>(requireNonNull(ownedTasks, "ownedTasks is null")));
        preparedTasks = Collections.unmodifiableSet(new TreeSet<>(requireNonNull(preparedTasks, "preparedTasks is null")));
        warmTasks = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(warmTasks, "warmTasks is null")));
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /** Groups tasks by pipeline into partition counts (highest partition + 1: a pipeline's tasks are 0..n-1). */
    public static Map<String, Integer> partitionCounts(Set<TaskId> tasks)
    {
        Map<String, Integer> counts = new TreeMap<>();
        for (TaskId task : tasks) {
            counts.merge(task.pipeline(), task.partition() + 1, Math::max);
        }
        return counts;
    }

    /** Every task of the pipelines deployed here. */
    public Set<TaskId> knownTasks()
    {
        Set<TaskId> tasks = new TreeSet<>();
        partitionCounts.forEach((pipeline, count) -> {
            for (int partition = 0; partition < count; partition++) {
                tasks.add(new TaskId(pipeline, partition));
            }
        });
        return tasks;
    }

    /** The same status stamped {@code time}. */
    public NodeStatus withUpdatedAt(Instant time)
    {
        return new NodeStatus(nodeId, memberUuid, transferAddress, lifecycle, partitionCounts, readyPipelines, ownedTasks, preparedTasks, warmTasks, time);
    }

    public String toJson()
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        root.put("nodeId", nodeId);
        root.put("memberUuid", memberUuid.toString());
        root.put("transferAddress", transferAddress);
        root.put("lifecycle", lifecycle.name());
        ObjectNode counts = root.putObject("knownTasks");
        partitionCounts.forEach(counts::put);
        readyPipelines.forEach(root.putArray("readyPipelines")::add);
        ArrayNode owned = root.putArray("ownedTasks");
        ownedTasks.forEach(task -> owned.add(task.toString()));
        ArrayNode prepared = root.putArray("preparedTasks");
        preparedTasks.forEach(task -> prepared.add(task.toString()));
        ObjectNode warm = root.putObject("warmTasks");
        warmTasks.forEach((task, offset) -> warm.put(task.toString(), offset));
        root.put("updatedAt", updatedAt.toEpochMilli());
        return write(root);
    }

    /** Reads {@link #toJson()}; throws {@link IllegalArgumentException} naming the problem if it is not a status. */
    public static NodeStatus fromJson(String json)
    {
        JsonNode root = read(json);
        try {
            Map<String, Integer> counts = new TreeMap<>();
            root.path("knownTasks").fields().forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asInt()));
            Set<String> ready = new TreeSet<>();
            root.path("readyPipelines").forEach(node -> ready.add(node.asText()));
            Set<TaskId> owned = new TreeSet<>();
            root.path("ownedTasks").forEach(node -> owned.add(TaskId.parse(node.asText())));
            Set<TaskId> prepared = new TreeSet<>();
            root.path("preparedTasks").forEach(node -> prepared.add(TaskId.parse(node.asText())));
            Map<TaskId, Long> warm = new TreeMap<>();
            root.path("warmTasks").fields().forEachRemaining(entry -> warm.put(TaskId.parse(entry.getKey()), entry.getValue().asLong()));
            return new NodeStatus(text(root, "nodeId"), UUID.fromString(text(root, "memberUuid")), text(root, "transferAddress"),
                    NodeLifecycle.valueOf(text(root, "lifecycle")), counts, ready, owned, prepared, warm,
                    Instant.ofEpochMilli(root.path("updatedAt").asLong()));
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("not a node status: " + e.getMessage() + ": " + json, e);
        }
    }

    static String text(JsonNode root, String field)
    {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return node.asText();
    }

    static JsonNode read(String json)
    {
        try {
            JsonNode root = MAPPER.readTree(requireNonNull(json, "json is null"));
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            return root;
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String write(JsonNode root)
    {
        try {
            return MAPPER.writeValueAsString(root);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
