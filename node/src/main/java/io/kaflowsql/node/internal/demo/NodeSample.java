package io.kaflowsql.node.internal.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.coordinator.assignment.TaskId;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * One read of a node's endpoints by {@code demo --nodes N}: its {@code /cluster} view and its
 * {@code kaflowsql_records_out_total}, each empty when the endpoint could not be read (node down, starting or
 * too slow to answer). The accessors pick the fields of the view the demo prints.
 *
 * @param alive whether the node's process was running when it was read
 * @param millis when the read finished (the time a rate is computed over)
 */
record NodeSample(String nodeId, boolean alive, Optional<JsonNode> view, OptionalDouble recordsOut, long millis)
{
    NodeSample
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(view, "view is null");
        requireNonNull(recordsOut, "recordsOut is null");
    }

    Optional<String> lifecycle()
    {
        return view.map(json -> json.path("lifecycle").asText("?"));
    }

    /** Generation of the assignment this node applied. */
    Optional<Long> generation()
    {
        return view.map(json -> json.path("generation").asLong(-1));
    }

    /** Tasks open on this node. */
    Optional<Set<TaskId>> owned()
    {
        return view.map(json -> {
            Set<TaskId> tasks = new TreeSet<>();
            json.path("owned").elements().forEachRemaining(task -> tasks.add(TaskId.parse(task.asText())));
            return tasks;
        });
    }

    /** Owner of every task in the assignment this node applied. */
    Optional<Map<TaskId, String>> owners()
    {
        return view.map(json -> {
            Map<TaskId, String> owners = new TreeMap<>();
            json.path("owners").properties().forEach(entry -> owners.put(TaskId.parse(entry.getKey()), entry.getValue().asText()));
            return owners;
        });
    }

    /** Tasks the applied assignment gives this node but that are not open yet (being opened or restored). */
    Optional<Set<TaskId>> opening()
    {
        return owners().flatMap(owners -> owned().map(owned -> {
            Set<TaskId> opening = new TreeSet<>();
            owners.forEach((task, owner) -> {
                if (owner.equals(nodeId) && !owned.contains(task)) {
                    opening.add(task);
                }
            });
            return opening;
        }));
    }

    /** Tasks the applied assignment makes this node a standby for (it keeps a warm copy of their state). */
    Optional<Set<TaskId>> standbys()
    {
        return view.map(json -> {
            Set<TaskId> tasks = new TreeSet<>();
            json.path("standbys").properties().forEach(entry -> entry.getValue().elements().forEachRemaining(node -> {
                if (node.asText().equals(nodeId)) {
                    tasks.add(TaskId.parse(entry.getKey()));
                }
            }));
            return tasks;
        });
    }
}
