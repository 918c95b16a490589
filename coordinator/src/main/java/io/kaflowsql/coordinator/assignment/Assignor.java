package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The pure assignment function: (nodes, tasks, current assignment, warm state) -> target assignment.
 * PLACEHOLDER round-robin until the real one lands.
 */
public final class Assignor
{
    private Assignor() {}

    public static Assignment assign(AssignmentInput input)
    {
        Map<TaskId, String> owners = new HashMap<>();
        Map<TaskId, List<String>> standbys = new HashMap<>();
        int next = 0;
        for (TaskId task : new TreeSet<>(input.tasks())) {
            List<NodeCandidate> able = input.nodes().stream().filter(node -> node.canOwn(task)).toList();
            if (able.isEmpty()) {
                continue;
            }
            owners.put(task, able.get(next++ % able.size()).nodeId());
            standbys.put(task, new ArrayList<>());
        }
        return new Assignment(owners, standbys);
    }
}
