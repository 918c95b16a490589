package io.kaflowsql.engine.internal.state;

import java.util.Map;
import java.util.TreeMap;

import static java.util.Collections.unmodifiableMap;
import static java.util.Objects.requireNonNull;

/**
 * Approximate size of a task store, for metrics and placement decisions.
 *
 * @param eventsPerSource approximate number of event rows per source index (sources without rows may
 *        be missing)
 * @param pendingRecords number of held pending records
 * @param bytesOnDisk bytes of the store's files on disk (0 for in-memory stores)
 */
public record StoreStats(Map<Integer, Long> eventsPerSource, long pendingRecords, long bytesOnDisk)
{
    public StoreStats
    {
        eventsPerSource = unmodifiableMap(new TreeMap<>(requireNonNull(eventsPerSource, "eventsPerSource is null")));
    }

    /** Approximate event rows of one source; 0 when unknown. */
    public long events(int source)
    {
        return eventsPerSource.getOrDefault(source, 0L);
    }

    public long totalEvents()
    {
        return eventsPerSource.values().stream().mapToLong(Long::longValue).sum();
    }
}
