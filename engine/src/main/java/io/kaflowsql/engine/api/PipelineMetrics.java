package io.kaflowsql.engine.api;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Counters of one pipeline on this node, shared by its tasks. Thread-safe: tasks add, readers
 * (summary, HTTP metrics) read at any time.
 */
public final class PipelineMetrics
{
    private final List<SourceInfo> sources;
    private final LongAdder[] recordsIn;
    private final LongAdder[] lookups;
    private final LongAdder[] hits;
    private final LongAdder out = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder held = new LongAdder();
    private final LongAdder released = new LongAdder();
    private final LongAdder expiredDropped = new LongAdder();
    private final LongAdder expiredEmitted = new LongAdder();
    private final LongAdder expiredRows = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final LongAdder commits = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    private final LongAdder fencedTasks = new LongAdder();
    private final LongAdder checkpoints = new LongAdder();
    private final LongAdder restores = new LongAdder();
    private final LongAdder restoredRecords = new LongAdder();
    private final LongAdder restoredBytes = new LongAdder();
    private final LongAdder restoreMillis = new LongAdder();

    public PipelineMetrics(List<SourceInfo> sources)
    {
        this.sources = List.copyOf(requireNonNull(sources, "sources is null"));
        this.recordsIn = adders(sources.size());
        this.lookups = adders(sources.size());
        this.hits = adders(sources.size());
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new LongAdder());
        }
    }

    private static LongAdder[] adders(int count)
    {
        LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    public void recordIn(int source)
    {
        recordsIn[source].increment();
    }

    /** A driving record's first lookup into a joined source (a held record's retries are not counted). */
    public void lookup(int source, boolean hit)
    {
        lookups[source].increment();
        if (hit) {
            hits[source].increment();
        }
    }

    public void emitted()
    {
        out.increment();
    }

    public void filtered()
    {
        filtered.increment();
    }

    public void held()
    {
        held.increment();
    }

    public void released()
    {
        released.increment();
    }

    public void expiredHeld(boolean emitted)
    {
        (emitted ? expiredEmitted : expiredDropped).increment();
    }

    public void expiredRows(long count)
    {
        expiredRows.add(count);
    }

    public void rejected(RejectReason reason)
    {
        rejected.get(reason).increment();
    }

    public List<SourceInfo> sources()
    {
        return sources;
    }

    public long recordsIn(int source)
    {
        return recordsIn[source].sum();
    }

    public long lookups(int source)
    {
        return lookups[source].sum();
    }

    public long hits(int source)
    {
        return hits[source].sum();
    }

    /** Share of first lookups into a joined source that found a row; NaN before any lookup. */
    public double hitRate(int source)
    {
        long attempts = lookups(source);
        return attempts == 0 ? Double.NaN : (double) hits(source) / attempts;
    }

    public long recordsOut()
    {
        return out.sum();
    }

    public long filteredOut()
    {
        return filtered.sum();
    }

    public long heldCount()
    {
        return held.sum();
    }

    public long releasedCount()
    {
        return released.sum();
    }

    public long expiredDropped()
    {
        return expiredDropped.sum();
    }

    public long expiredEmitted()
    {
        return expiredEmitted.sum();
    }

    public long expiredRows()
    {
        return expiredRows.sum();
    }

    public long rejectedCount(RejectReason reason)
    {
        return rejected.get(reason).sum();
    }

    public long rejectedTotal()
    {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** A task committed (one transaction under exactly-once). */
    public void committed()
    {
        commits.increment();
    }

    /** A task aborted its open transaction and rebuilt its state (a retriable failure). */
    public void aborted()
    {
        aborts.increment();
    }

    /** A task stopped because another owner fenced its producer. */
    public void fenced()
    {
        fencedTasks.increment();
    }

    public void checkpointed()
    {
        checkpoints.increment();
    }

    /** A task's state was restored: changelog records replayed (and their bytes) and the time it took. */
    public void restored(long records, long bytes, long millis)
    {
        restores.increment();
        restoredRecords.add(records);
        restoredBytes.add(bytes);
        restoreMillis.add(millis);
    }

    public long commitCount()
    {
        return commits.sum();
    }

    public long abortCount()
    {
        return aborts.sum();
    }

    public long fencedTaskCount()
    {
        return fencedTasks.sum();
    }

    public long checkpointCount()
    {
        return checkpoints.sum();
    }

    public long restoreCount()
    {
        return restores.sum();
    }

    public long restoredRecords()
    {
        return restoredRecords.sum();
    }

    public long restoredBytes()
    {
        return restoredBytes.sum();
    }

    /** Total time spent restoring task state. */
    public long restoreMillis()
    {
        return restoreMillis.sum();
    }
}
