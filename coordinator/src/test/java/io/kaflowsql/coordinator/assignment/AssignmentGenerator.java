package io.kaflowsql.coordinator.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Random assignment inputs from a seeded {@link Random}, for the property tests. Not thread-safe. */
final class AssignmentGenerator
{
    static final List<String> PIPELINES = List.of("p", "q", "r");

    private final Random random;

    AssignmentGenerator(long seed)
    {
        this.random = new Random(seed);
    }

    Random random()
    {
        return random;
    }

    /** 1-6 nodes; when {@code uniform} all accept and are ready for every pipeline, else some drain or lack pipelines. */
    List<NodeCandidate> nodes(List<String> pipelines, boolean uniform)
    {
        int count = 1 + random.nextInt(6);
        List<NodeCandidate> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "n" + random.nextInt(20);
            if (nodes.stream().anyMatch(node -> node.nodeId().equals(id))) {
                continue;
            }
            if (uniform) {
                nodes.add(new NodeCandidate(id, Set.copyOf(pipelines), true));
                continue;
            }
            Set<String> ready = new TreeSet<>();
            pipelines.forEach(pipeline -> {
                if (random.nextInt(4) != 0) {
                    ready.add(pipeline);
                }
            });
            nodes.add(new NodeCandidate(id, ready, random.nextInt(6) != 0));
        }
        return nodes;
    }

    List<String> pipelines()
    {
        return PIPELINES.subList(0, 1 + random.nextInt(PIPELINES.size()));
    }

    Set<TaskId> tasks(List<String> pipelines)
    {
        Set<TaskId> tasks = new TreeSet<>();
        for (String pipeline : pipelines) {
            int partitions = random.nextInt(9);
            for (int i = 0; i < partitions; i++) {
                tasks.add(new TaskId(pipeline, i));
            }
        }
        return tasks;
    }

    /** Owners among the nodes, dead ids or none, for the tasks and a few stale ones; random standbys. */
    Assignment current(List<NodeCandidate> nodes, Set<TaskId> tasks)
    {
        List<String> names = new ArrayList<>(nodes.stream().map(NodeCandidate::nodeId).toList());
        names.add("dead-1");
        names.add("dead-2");
        Map<TaskId, String> owners = new TreeMap<>();
        Map<TaskId, List<String>> standbys = new TreeMap<>();
        List<TaskId> all = new ArrayList<>(tasks);
        all.add(new TaskId("stale", random.nextInt(3)));
        for (TaskId task : all) {
            if (random.nextInt(5) == 0) {
                continue;
            }
            owners.put(task, names.get(random.nextInt(names.size())));
            List<String> standby = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                String node = names.get(random.nextInt(names.size()));
                if (!standby.contains(node)) {
                    standby.add(node);
                }
            }
            standbys.put(task, standby);
        }
        return new Assignment(owners, standbys);
    }

    Map<TaskId, Map<String, Long>> warmState(List<NodeCandidate> nodes, Set<TaskId> tasks)
    {
        Map<TaskId, Map<String, Long>> warm = new HashMap<>();
        for (TaskId task : tasks) {
            Map<String, Long> offsets = new HashMap<>();
            for (NodeCandidate node : nodes) {
                if (random.nextInt(3) == 0) {
                    offsets.put(node.nodeId(), (long) random.nextInt(1000));
                }
            }
            if (!offsets.isEmpty()) {
                warm.put(task, offsets);
            }
        }
        return warm;
    }

    AssignmentInput input(boolean uniform)
    {
        List<String> pipelines = pipelines();
        List<NodeCandidate> nodes = nodes(pipelines, uniform);
        Set<TaskId> tasks = tasks(pipelines);
        return new AssignmentInput(nodes, tasks, current(nodes, tasks), warmState(nodes, tasks), random.nextInt(4));
    }
}
