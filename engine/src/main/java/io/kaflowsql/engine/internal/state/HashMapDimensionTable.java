package io.kaflowsql.engine.internal.state;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The simple {@link DimensionTable}: decoded rows in a {@link ConcurrentHashMap}. Fast, but costs a
 * few hundred bytes of heap per row; the baseline {@link CompactDimensionTable} is measured against.
 * Thread-safe for one writer and many readers (returned rows are shared: callers must not mutate).
 */
public final class HashMapDimensionTable
        implements DimensionTable
{
    private record Entry(String owner, Object[] row) {}

    private final Map<String, Entry> rows = new ConcurrentHashMap<>();
    /** recordKey -> joinValue, only where they differ. Writer only. */
    private final Map<String, String> ownerJoinValues = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public Object[] get(String joinValue)
    {
        checkOpen();
        if (joinValue == null) {
            return null;
        }
        Entry entry = rows.get(joinValue);
        return entry == null ? null : entry.row();
    }

    @Override
    public void upsert(String recordKey, String joinValue, Object[] row)
    {
        requireNonNull(row, "row is null");
        checkOpen();
        String owner = recordKey == null ? joinValue : recordKey;
        if (owner == null) {
            return;
        }
        String previous = ownerJoinValues.get(owner);
        if (previous == null) {
            Entry own = rows.get(owner);
            previous = own != null && own.owner().equals(owner) ? owner : null;
        }
        if (previous != null && !previous.equals(joinValue)) {
            removeIfOwned(previous, owner);
        }
        ownerJoinValues.remove(owner);
        if (joinValue == null) {
            return;
        }
        Entry replaced = rows.put(joinValue, new Entry(owner, row));
        if (replaced != null && !replaced.owner().equals(owner)) {
            ownerJoinValues.remove(replaced.owner(), joinValue);
        }
        if (!owner.equals(joinValue)) {
            ownerJoinValues.put(owner, joinValue);
        }
    }

    @Override
    public void delete(String recordKey)
    {
        checkOpen();
        if (recordKey == null) {
            return;
        }
        String joinValue = ownerJoinValues.remove(recordKey);
        removeIfOwned(joinValue == null ? recordKey : joinValue, recordKey);
    }

    private void removeIfOwned(String joinValue, String owner)
    {
        rows.computeIfPresent(joinValue, (key, entry) -> entry.owner().equals(owner) ? null : entry);
    }

    /** Encodes each row with the snapshot row layout (the compact table's record layout). */
    @Override
    public long writeEncodedRows(EncodedRowSink sink)
            throws IOException
    {
        checkOpen();
        RecordEncoder encoder = new RecordEncoder();
        long count = 0;
        for (Map.Entry<String, Entry> row : rows.entrySet()) {
            String joinValue = row.getKey();
            String owner = row.getValue().owner();
            encoder.encode(joinValue, owner.equals(joinValue) ? null : owner, row.getValue().row());
            sink.accept(encoder.buffer(), 0, encoder.length());
            count++;
        }
        return count;
    }

    @Override
    public void loadEncodedRow(byte[] bytes, int offset, int length)
    {
        checkOpen();
        if (RecordLayout.recordLength(bytes, offset) != length) {
            throw new IllegalArgumentException("an encoded row of " + length + " bytes holds a record of " + RecordLayout.recordLength(bytes, offset));
        }
        String joinValue = RecordLayout.key(bytes, offset);
        String explicitOwner = RecordLayout.explicitOwner(bytes, offset);
        upsert(explicitOwner == null ? joinValue : explicitOwner, joinValue, RecordLayout.decodeRow(bytes, offset));
    }

    @Override
    public void clear()
    {
        checkOpen();
        rows.clear();
        ownerJoinValues.clear();
    }

    @Override
    public long size()
    {
        return rows.size();
    }

    /** A rough estimate: decoded rows of a few short strings cost about 400 bytes each. */
    @Override
    public long approximateBytes()
    {
        return 400L * rows.size() + 96L * ownerJoinValues.size();
    }

    @Override
    public void close()
    {
        closed = true;
        rows.clear();
        ownerJoinValues.clear();
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("dimension table is closed");
        }
    }
}
