package io.kaflowsql.coordinator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.coordinator.assignment.Assignment;
import io.kaflowsql.coordinator.assignment.TaskId;
import io.kaflowsql.protocol.Format;
import io.kaflowsql.protocol.SupportedVersions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The assignment in force, as the leader wrote it to the map {@value HazelcastMembers#ASSIGNMENT_MAP} under
 * {@value #KEY}. Each write carries the next generation; nodes apply records in generation order and drop older
 * ones. JSON with a {@code version} field (the {@link Format#ASSIGNMENT} format version the leader writes, negotiated
 * with the cluster; absent = 1); unknown fields are ignored, and a version the reader does not read is refused rather
 * than misread. Immutable.
 *
 * @param generation strictly increasing per write; 0 means "nothing assigned yet" ({@link #INITIAL})
 * @param leaderNodeId the node that wrote it
 * @param assignment owners and standbys
 * @param members node ids of the live members it was computed for
 */
public record AssignmentRecord(long generation, String leaderNodeId, Assignment assignment, List<String> members)
{
    public static final int VERSION = 1;
    public static final String KEY = "current";
    public static final AssignmentRecord INITIAL = new AssignmentRecord(0, "", Assignment.EMPTY, List.of());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public AssignmentRecord
    {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative: " + generation);
        }
        requireNonNull(leaderNodeId, "leaderNodeId is null");
        requireNonNull(assignment, "assignment is null");
        members = List.copyOf(requireNonNull(members, "members is null"));
    }

    public boolean isNewerThan(AssignmentRecord other)
    {
        return generation > other.generation;
    }

    public String toJson()
    {
        return toJson(VERSION);
    }

    /** The record in assignment format {@code version}. */
    public String toJson(int version)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", version);
        root.put("generation", generation);
        root.put("leaderNodeId", leaderNodeId);
        ObjectNode owners = root.putObject("owners");
        assignment.owners().forEach((task, node) -> owners.put(task.toString(), node));
        ObjectNode standbys = root.putObject("standbys");
        assignment.standbys().forEach((task, nodes) -> {
            ArrayNode array = standbys.putArray(task.toString());
            nodes.forEach(array::add);
        });
        ArrayNode memberArray = root.putArray("members");
        members.forEach(memberArray::add);
        return NodeStatus.write(root);
    }

    /** Reads {@link #toJson()}; throws {@link IllegalArgumentException} naming the problem if it is not a record. */
    public static AssignmentRecord fromJson(String json)
    {
        return fromJson(json, SupportedVersions.thisBuild());
    }

    /**
     * Reads {@link #toJson(int)}.
     *
     * @throws IllegalArgumentException naming the problem if it is not a record
     * @throws io.kaflowsql.protocol.UnsupportedFormatVersionException if it is of a version {@code supported} does not read
     */
    public static AssignmentRecord fromJson(String json, SupportedVersions supported)
    {
        JsonNode root = NodeStatus.read(json);
        JsonNode version = root.get("version");
        supported.check(Format.ASSIGNMENT, version == null || !version.canConvertToInt() ? 1 : version.asInt(), "");
        try {
            JsonNode generation = root.get("generation");
            if (generation == null || !generation.canConvertToLong()) {
                throw new IllegalArgumentException("field 'generation' is missing");
            }
            Map<TaskId, String> owners = new TreeMap<>();
            root.path("owners").fields().forEachRemaining(entry -> owners.put(TaskId.parse(entry.getKey()), entry.getValue().asText()));
            Map<TaskId, List<String>> standbys = new TreeMap<>();
            root.path("standbys").fields().forEachRemaining(entry -> {
                List<String> nodes = new ArrayList<>();
                entry.getValue().forEach(node -> nodes.add(node.asText()));
                standbys.put(TaskId.parse(entry.getKey()), nodes);
            });
            List<String> members = new ArrayList<>();
            root.path("members").forEach(node -> members.add(node.asText()));
            return new AssignmentRecord(generation.asLong(), NodeStatus.text(root, "leaderNodeId"), new Assignment(owners, standbys), members);
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("not an assignment record: " + e.getMessage() + ": " + json, e);
        }
    }
}
