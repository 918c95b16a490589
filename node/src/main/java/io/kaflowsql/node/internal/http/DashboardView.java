package io.kaflowsql.node.internal.http;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@code GET /api/dashboard} answers, as JSON: the cluster's nodes, the assignment in force and the pipelines
 * running on the answering node. Built by the admin views (the same figures {@code kaflowsql admin status},
 * {@code assignment} and {@code describe} print), so the dashboard and the CLI agree.
 *
 * <p>Immutable. Figures that do not exist yet are {@code null} rather than NaN (JSON has no NaN): a hit rate before
 * the first lookup, a latency before the first sample.
 *
 * @param generatedAtMillis when the answering node built this view (epoch milliseconds)
 * @param answeredBy the node that built this view; the pipelines are those running on it
 */
public record DashboardView(String clusterName, String answeredBy, boolean clustered, String leader, long generatedAtMillis, List<Node> nodes,
        Assignment assignment, List<Pipeline> pipelines)
{
    public DashboardView
    {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(answeredBy, "answeredBy is null");
        requireNonNull(leader, "leader is null");
        nodes = List.copyOf(nodes);
        requireNonNull(assignment, "assignment is null");
        pipelines = List.copyOf(pipelines);
    }

    /**
     * One cluster member (or the standalone node).
     *
     * @param state lifecycle: JOINING, BOOTSTRAPPING, READY, DRAINING, LEFT, or STANDALONE
     * @param reachable false when the answering node could not ask this node (its version and lag are then unknown)
     * @param lag consumer lag of every task open on the node (records)
     * @param tasks tasks the node owns; {@code standbys}: tasks it keeps warm for another owner
     */
    public record Node(String id, String state, String version, String address, boolean leader, boolean reachable, long lag, List<String> tasks,
            List<String> standbys)
    {
        public Node
        {
            requireNonNull(id, "id is null");
            requireNonNull(state, "state is null");
            requireNonNull(version, "version is null");
            requireNonNull(address, "address is null");
            tasks = List.copyOf(tasks);
            standbys = List.copyOf(standbys);
        }
    }

    /** The assignment in force: generation 0 on a standalone node, which owns every task itself. */
    public record Assignment(long generation, String leader, List<String> members, List<Task> tasks)
    {
        public Assignment
        {
            requireNonNull(leader, "leader is null");
            members = List.copyOf(members);
            tasks = List.copyOf(tasks);
        }
    }

    /** One task ({@code pipeline-partition}); {@code owner} is empty while no node owns it. */
    public record Task(String task, String owner, List<String> standbys)
    {
        public Task
        {
            requireNonNull(task, "task is null");
            requireNonNull(owner, "owner is null");
            standbys = List.copyOf(standbys);
        }
    }

    /**
     * One pipeline as its node runs it.
     *
     * @param state runtime state (RUNNING, LOADING_DIMENSIONS, ..., or PAUSED)
     * @param inPerSecond records read per second (every source) over the last ten seconds or so
     * @param endToEnd latency from a driving record's Kafka timestamp to its result; {@code processing}: stream-thread time per record
     * @param heldNow driving records held by smart emission now
     */
    public record Pipeline(String name, String node, String state, String source, List<Integer> partitions, long recordsIn, long recordsOut,
            double inPerSecond, double outPerSecond, long lag, long filtered, long rejected, long heldNow, long heldTotal, long released,
            Latency endToEnd, Latency processing, List<Join> joins)
    {
        public Pipeline
        {
            requireNonNull(name, "name is null");
            requireNonNull(node, "node is null");
            requireNonNull(state, "state is null");
            requireNonNull(source, "source is null");
            partitions = List.copyOf(partitions);
            joins = List.copyOf(joins);
        }
    }

    /** Quantiles in milliseconds over the node's sliding window (about two minutes); {@code null} fields before the first sample. */
    public record Latency(Double p50Millis, Double p95Millis, Double p99Millis)
    {
        public static final Latency NONE = new Latency(null, null, null);
    }

    /**
     * Lookups of one joined source.
     *
     * @param hitRate hits / lookups, {@code null} before the first lookup
     */
    public record Join(String source, String role, long lookups, long hits, Double hitRate)
    {
        public Join
        {
            requireNonNull(source, "source is null");
            requireNonNull(role, "role is null");
        }
    }
}
