package io.kaflowsql.engine.internal.state;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded LRU cache of decoded event rows in front of RocksDB, including known misses, so that the
 * hot lookup of an event-table key neither crosses JNI nor decodes. Written through on put,
 * invalidated on delete and expiry. Not thread-safe (confined to the task's thread).
 */
final class EventRowCache
{
    /** Marks a key known to be absent. */
    static final StoredRow ABSENT = new StoredRow(Long.MIN_VALUE, Long.MIN_VALUE, new Object[0]);

    private final int capacity;
    private final LinkedHashMap<LookupKey, StoredRow> entries;

    EventRowCache(int capacity)
    {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(capacity == 0 ? 1 : Math.min(capacity, 1 << 16), 0.75f, true)
        {
            @Override
            protected boolean removeEldestEntry(Map.Entry<LookupKey, StoredRow> eldest)
            {
                return size() > EventRowCache.this.capacity;
            }
        };
    }

    /** The cached row, {@link #ABSENT} for a known miss, or null when the cache does not know. */
    StoredRow get(LookupKey key)
    {
        return capacity == 0 ? null : entries.get(key);
    }

    void put(LookupKey key, StoredRow row)
    {
        if (capacity > 0) {
            entries.put(key, row);
        }
    }

    void invalidate(LookupKey key)
    {
        entries.remove(key);
    }

    void clear()
    {
        entries.clear();
    }
}
