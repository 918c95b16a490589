package io.kaflowsql.coordinator.assignment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Who owns each task, and which nodes keep standby copies of its state (in order of preference).
 * A task missing from {@code owners} is unowned. Immutable; maps sorted by task.
 */
public record Assignment(Map<TaskId, String> owners, Map<TaskId, List<String>> standbys)
{
    public static final Assignment EMPTY = new Assignment(Map.of(), Map.of());

    public Assignment
    {
        owners = java.util.Collections.unmodifiableMap(new TreeMap<>(requireNonNull(owners, "owners is null")));
        TreeMap<TaskId, List<String>> copy = new TreeMap<>();
        requireNonNull(standbys, "standbys is null").forEach((task, nodes) -> {
            if (!nodes.isEmpty()) {
                copy.put(task, List.copyOf(nodes));
            }
        });
        standbys = java.util.Collections.unmodifiableMap(copy);
    }

    public List<String> standbysOf(TaskId task)
    {
        return standbys.getOrDefault(task, List.of());
    }
}
