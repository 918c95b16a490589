package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a cluster looks like from outside once it has recovered, read from every node's {@code /cluster} endpoint:
 * every running node awake and answering, all of them with the same assignment generation and owners, every task
 * owned by a running node, and each node having open exactly the tasks the assignment gives it (no task open twice,
 * none orphaned). Stateless; thread-safe.
 */
final class Convergence
{
    private Convergence() {}

    /** True when the running nodes agree on one assignment that every one of them follows. */
    static boolean settled(ClusterHarness cluster)
    {
        Set<Integer> running = cluster.running();
        if (running.isEmpty() || !cluster.awake().equals(running)) {
            return false;
        }
        Long generation = null;
        Map<String, String> owners = null;
        for (int number : running) {
            Optional<JsonNode> view = cluster.view(number);
            if (view.isEmpty()) {
                return false;
            }
            Map<String, String> seen = owners(view.get());
            long seenGeneration = view.get().path("generation").asLong();
            if (generation != null && (generation != seenGeneration || !owners.equals(seen))) {
                return false;
            }
            generation = seenGeneration;
            owners = seen;
            if (!open(view.get()).equals(assignedTo("node-" + number, seen))) {
                return false;
            }
        }
        Set<String> runningIds = new TreeSet<>();
        running.forEach(number -> runningIds.add("node-" + number));
        return owners.size() == cluster.spec().partitions() && runningIds.containsAll(owners.values());
    }

    /** True when every task is open on exactly one of {@code numbers} (they answer; others are not asked). */
    static boolean allTasksOpenOn(ClusterHarness cluster, Set<Integer> numbers)
    {
        Set<String> open = new TreeSet<>();
        int total = 0;
        for (int number : numbers) {
            Optional<JsonNode> view = cluster.view(number);
            if (view.isEmpty()) {
                return false;
            }
            Set<String> owned = open(view.get());
            open.addAll(owned);
            total += owned.size();
        }
        return open.size() == cluster.spec().partitions() && total == open.size();
    }

    /** Each running node's generation, open tasks and view of the owners, for a report line. */
    static String describe(ClusterHarness cluster)
    {
        StringBuilder text = new StringBuilder();
        for (int number : cluster.running()) {
            text.append("node-").append(number).append(cluster.awake().contains(number) ? "" : " (paused)").append(": ");
            Optional<JsonNode> view = cluster.view(number);
            if (view.isEmpty()) {
                text.append("no answer; ");
                continue;
            }
            text.append("generation ").append(view.get().path("generation").asLong()).append(", open ").append(open(view.get()))
                    .append(", owners ").append(owners(view.get())).append("; ");
        }
        return text.toString().strip();
    }

    private static Map<String, String> owners(JsonNode view)
    {
        Map<String, String> owners = new TreeMap<>();
        view.path("owners").fields().forEachRemaining(entry -> owners.put(entry.getKey(), entry.getValue().asText()));
        return owners;
    }

    private static Set<String> open(JsonNode view)
    {
        Set<String> open = new TreeSet<>();
        view.path("owned").elements().forEachRemaining(task -> open.add(task.asText()));
        return open;
    }

    private static Set<String> assignedTo(String nodeId, Map<String, String> owners)
    {
        Set<String> assigned = new TreeSet<>();
        owners.forEach((task, owner) -> {
            if (owner.equals(nodeId)) {
                assigned.add(task);
            }
        });
        return assigned;
    }
}
