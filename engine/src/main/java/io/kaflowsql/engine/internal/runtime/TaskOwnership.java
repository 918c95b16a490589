package io.kaflowsql.engine.internal.runtime;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Which tasks (partitions) of a pipeline this node should own, which it should prepare, and which it owns now.
 *
 * <p>Any thread {@link #request}s a set of partitions; every request gets a new version. The stream thread
 * asks for a {@link #plan} (what to release, what to open, what to prepare) against its open tasks, applies it
 * between two polls and {@link #publish}es the partitions it owns as soon as they change (listeners, such as
 * the cluster coordinator announcing a release to the next owner, run then). Partitions to {@link #prepare}
 * are about to be handed to this node: their state is restored ahead, while the previous owner still
 * processes, so that the hand-over itself only fences and reads the changelog tail. A task whose producer was fenced (another
 * node took it over) is {@link #fenced} and left out of every plan until the next request: reopening it
 * at once would fence the new owner back, so only a newer decision of the caller brings it back.
 *
 * <p>Partitions outside {@code [0, partitionCount)} in a request are ignored (the topic has no such
 * partition). Plans are sorted, so tasks are released and opened in partition order.
 *
 * <p>Thread-safe: the desired and incoming sets, version and exclusions are guarded by this object; the owned
 * set is a volatile immutable set.
 */
final class TaskOwnership
{
    /** What the stream thread should do to own exactly the partitions of request {@code version}. */
    record Plan(long version, SortedSet<Integer> release, SortedSet<Integer> open, SortedSet<Integer> prepare)
    {
        Plan
        {
            release = Collections.unmodifiableSortedSet(new TreeSet<>(release));
            open = Collections.unmodifiableSortedSet(new TreeSet<>(open));
            prepare = Collections.unmodifiableSortedSet(new TreeSet<>(prepare));
        }

        boolean isEmpty()
        {
            return release.isEmpty() && open.isEmpty() && prepare.isEmpty();
        }
    }

    private long version;
    private Set<Integer> desired = Set.of();
    private Set<Integer> incoming = Set.of();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Set<Integer> fenced = new HashSet<>();
    private volatile Set<Integer> owned = Collections.emptySortedSet();
    private volatile Set<Integer> prepared = Collections.emptySortedSet();

    /** Makes {@code partitions} the desired set; clears every fencing exclusion. */
    synchronized void request(Set<Integer> partitions)
    {
        desired = Set.copyOf(requireNonNull(partitions, "partitions is null"));
        fenced.clear();
        version++;
    }

    /**
     * Makes {@code partitions} the set to prepare (restore ahead of a hand-over); partitions also requested
     * to be owned are simply opened. A new version, but the fencing exclusions stay.
     */
    synchronized void prepare(Set<Integer> partitions)
    {
        incoming = Set.copyOf(requireNonNull(partitions, "partitions is null"));
        version++;
    }

    /** Runs {@code listener} (on the stream thread; it must be quick) whenever the owned partitions changed. */
    void addListener(Runnable listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
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
        SortedSet<Integer> toPrepare = new TreeSet<>();
        for (int partition : incoming) {
            if (partition >= 0 && partition < partitionCount && !wanted.contains(partition) && !open.contains(partition)) {
                toPrepare.add(partition);
            }
        }
        return new Plan(version, release, toOpen, toPrepare);
    }

    /** Called by the stream thread whenever its open tasks changed; runs the listeners when the set differs. */
    void publish(Set<Integer> open)
    {
        SortedSet<Integer> now = Collections.unmodifiableSortedSet(new TreeSet<>(open));
        if (!now.equals(owned)) {
            owned = now;
            notifyListeners();
        }
    }

    /** Called by the stream thread whenever its tasks restored ahead changed; runs the listeners when the set differs. */
    void publishPrepared(Set<Integer> partitions)
    {
        SortedSet<Integer> now = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
        if (!now.equals(prepared)) {
            prepared = now;
            notifyListeners();
        }
    }

    /** The partitions restored ahead of their hand-over to this node, as last published. */
    Set<Integer> prepared()
    {
        return prepared;
    }

    private void notifyListeners()
    {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }

    /** The partitions whose tasks are open on this node, as last published. */
    Set<Integer> owned()
    {
        return owned;
    }
}
