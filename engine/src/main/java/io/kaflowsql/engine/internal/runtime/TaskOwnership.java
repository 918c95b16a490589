package io.kaflowsql.engine.internal.runtime;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Which tasks (partitions) of a pipeline this node should own, and which it owns now.
 *
 * <p>Any thread {@link #request}s a set of partitions; every request gets a new version. The stream thread
 * asks for a {@link #plan} (what to release, what to open) against its open tasks, applies it between two
 * polls and {@link #publish}es the partitions it owns afterwards. A task whose producer was fenced (another
 * node took it over) is {@link #fenced} and left out of every plan until the next request: reopening it
 * at once would fence the new owner back, so only a newer decision of the caller brings it back.
 *
 * <p>Partitions outside {@code [0, partitionCount)} in a request are ignored (the topic has no such
 * partition). Plans are sorted, so tasks are released and opened in partition order.
 *
 * <p>Thread-safe: the desired set, version and exclusions are guarded by this object; the owned set is a
 * volatile immutable set.
 */
final class TaskOwnership
{
    /** What the stream thread should do to own exactly the partitions of request {@code version}. */
    record Plan(long version, SortedSet<Integer> release, SortedSet<Integer> open)
    {
        Plan
        {
            release = Collections.unmodifiableSortedSet(new TreeSet<>(release));
            open = Collections.unmodifiableSortedSet(new TreeSet<>(open));
        }

        boolean isEmpty()
        {
            return release.isEmpty() && open.isEmpty();
        }
    }

    private long version;
    private Set<Integer> desired = Set.of();
    private final Set<Integer> fenced = new HashSet<>();
    private volatile Set<Integer> owned = Collections.emptySortedSet();

    /** Makes {@code partitions} the desired set; clears every fencing exclusion. */
    synchronized void request(Set<Integer> partitions)
    {
        desired = Set.copyOf(requireNonNull(partitions, "partitions is null"));
        fenced.clear();
        version++;
    }

    /** Version of the latest request; 0 before the first. */
    synchronized long version()
    {
        return version;
    }

    /** Leaves {@code partition} out of every plan until the next {@link #request}. */
    synchronized void fenced(int partition)
    {
        fenced.add(partition);
    }

    /** True when the latest request names {@code partition} and it was not fenced since. */
    synchronized boolean wants(int partition)
    {
        return desired.contains(partition) && !fenced.contains(partition);
    }

    /** Releases the open partitions no longer wanted and opens the wanted ones not open yet. */
    synchronized Plan plan(Set<Integer> open, int partitionCount)
    {
        SortedSet<Integer> wanted = new TreeSet<>();
        for (int partition : desired) {
            if (partition >= 0 && partition < partitionCount && !fenced.contains(partition)) {
                wanted.add(partition);
            }
        }
        SortedSet<Integer> release = new TreeSet<>(open);
        release.removeAll(wanted);
        SortedSet<Integer> toOpen = new TreeSet<>(wanted);
        toOpen.removeAll(open);
        return new Plan(version, release, toOpen);
    }

    /** Called by the stream thread whenever its open tasks changed. */
    void publish(Set<Integer> open)
    {
        owned = Collections.unmodifiableSortedSet(new TreeSet<>(open));
    }

    /** The partitions whose tasks are open on this node, as last published. */
    Set<Integer> owned()
    {
        return owned;
    }
}
