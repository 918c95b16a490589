package io.kaflowsql.engine.internal.state;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

import static java.util.Objects.requireNonNull;

/**
 * A {@link DimensionTable} that keeps rows encoded ({@link RowCodec}) in a {@link ByteArena} and
 * finds them through an open-addressing hash index of longs, so millions of rows cost about their
 * encoded size plus 8-16 bytes of index each, and nothing per row for the garbage collector.
 *
 * <p>Record layout in the arena:
 * {@code [varint keyLength][key utf8][varint ownerLength+1 | 0 = owner is the key][owner utf8][varint rowLength][row]}
 * where the owner is the Kafka record key that wrote the row. Index slots pack a 24-bit hash
 * fingerprint and the 40-bit arena address; {@code -1} is empty; collisions probe linearly and
 * deletes shift back (no tombstones).
 *
 * <p>Thread safety: one writer, many readers. Arena bytes are immutable once written, so the writer
 * appends outside any lock and takes the {@link StampedLock} write lock only to change index slots or
 * to publish a resized index or a compacted arena (both built aside). Readers probe under an
 * optimistic stamp, read nothing but bounded arrays while doing so, validate, and decode the row from
 * the immutable chunk after validation; if validation fails (or the unvalidated probe tripped over a
 * half-published change) they retry under the read lock.
 *
 * <p>Updates append and repoint; when garbage exceeds live bytes the live records are copied into a
 * fresh arena (a temporary 2x of live bytes).
 */
public final class CompactDimensionTable
        implements DimensionTable
{
    private static final long EMPTY = -1L;
    private static final int FINGERPRINT_SHIFT = 40;
    private static final long ADDRESS_MASK = (1L << FINGERPRINT_SHIFT) - 1;
    private static final int MIN_CAPACITY = 1 << 10;
    private static final double MAX_LOAD = 0.75;

    private final StampedLock lock = new StampedLock();
    private final int chunkSize;
    /** recordKey -> joinValue, only for rows whose record key differs from the join value. Writer only. */
    private final Map<String, String> ownerJoinValues = new HashMap<>();
    private final RecordEncoder encoder = new RecordEncoder();
    private long[] slots;
    private ByteArena arena;
    private volatile long size;
    private long liveBytes;
    private long garbageBytes;
    private volatile boolean closed;

    public CompactDimensionTable()
    {
        this(ByteArena.DEFAULT_CHUNK_SIZE, MIN_CAPACITY);
    }

    /**
     * @param chunkSize largest arena chunk in bytes (1 KiB to 4 MiB; keep it just under a power of two,
     *        see {@link ByteArena#DEFAULT_CHUNK_SIZE})
     * @param expectedRows rows to size the index for without resizing
     */
    public CompactDimensionTable(int chunkSize, int expectedRows)
    {
        this.chunkSize = chunkSize;
        this.arena = new ByteArena(chunkSize);
        this.slots = emptySlots(capacityFor(expectedRows));
    }

    @Override
    public Object[] get(String joinValue)
    {
        if (closed) {
            throw new IllegalStateException("dimension table is closed");
        }
        if (joinValue == null) {
            return null;
        }
        SearchKey key = SearchKey.of(joinValue);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                long[] currentSlots = slots;
                byte[][] chunks = arena.chunks();
                int slot = findSlot(currentSlots, chunks, key);
                byte[] chunk = slot < 0 ? null : chunks[ByteArena.chunkIndex(currentSlots[slot] & ADDRESS_MASK)];
                long address = slot < 0 ? 0 : currentSlots[slot] & ADDRESS_MASK;
                if (lock.validate(stamp)) {
                    return chunk == null ? null : RecordLayout.decodeRow(chunk, ByteArena.offset(address));
                }
            }
            catch (RuntimeException inconsistent) {
                // a probe raced with a writer's publish; the locked retry below sees a consistent state
            }
        }
        stamp = lock.readLock();
        try {
            byte[][] chunks = arena.chunks();
            int slot = findSlot(slots, chunks, key);
            if (slot < 0) {
                return null;
            }
            long address = slots[slot] & ADDRESS_MASK;
            return RecordLayout.decodeRow(chunks[ByteArena.chunkIndex(address)], ByteArena.offset(address));
        }
        finally {
            lock.unlockRead(stamp);
        }
    }

    /** The slot holding {@code key}, or -1. Reads only bounded arrays; may throw on a racing writer. */
    private static int findSlot(long[] slots, byte[][] chunks, SearchKey key)
    {
        int mask = slots.length - 1;
        long fingerprint = key.hash() >>> FINGERPRINT_SHIFT;
        int index = (int) key.hash() & mask;
        for (int probes = 0; probes <= mask; probes++) {
            long entry = slots[index];
            if (entry == EMPTY) {
                return -1;
            }
            if (entry >>> FINGERPRINT_SHIFT == fingerprint) {
                long address = entry & ADDRESS_MASK;
                if (RecordLayout.keyEquals(chunks[ByteArena.chunkIndex(address)], ByteArena.offset(address), key)) {
                    return index;
                }
            }
            index = (index + 1) & mask;
        }
        return -1;
    }

    @Override
    public void upsert(String recordKey, String joinValue, Object[] row)
    {
        requireNonNull(row, "row is null");
        checkOpen();
        String owner = recordKey == null ? joinValue : recordKey;
        if (owner == null) {
            return; // neither a key nor a join value: nothing can ever find or delete this row
        }
        String previousJoinValue = joinValueOwnedBy(owner);
        if (previousJoinValue != null && !previousJoinValue.equals(joinValue)) {
            removeIfOwned(previousJoinValue, owner);
        }
        if (joinValue == null) {
            ownerJoinValues.remove(owner);
            return;
        }
        encoder.encode(joinValue, owner.equals(joinValue) ? null : owner, row);
        long address = arena.append(encoder.buffer(), 0, encoder.length());
        liveBytes += encoder.length();
        put(SearchKey.of(joinValue), address);
        if (owner.equals(joinValue)) {
            ownerJoinValues.remove(owner);
        }
        else {
            ownerJoinValues.put(owner, joinValue);
        }
        maybeCompact();
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
        maybeCompact();
    }

    /** The join value whose row {@code owner} wrote and still owns, or null. */
    private String joinValueOwnedBy(String owner)
    {
        String joinValue = ownerJoinValues.get(owner);
        if (joinValue != null) {
            return joinValue;
        }
        int slot = findSlot(slots, arena.chunks(), SearchKey.of(owner));
        return slot >= 0 && owner.equals(ownerAt(slot)) ? owner : null;
    }

    private String ownerAt(int slot)
    {
        long address = slots[slot] & ADDRESS_MASK;
        return RecordLayout.owner(arena.chunks()[ByteArena.chunkIndex(address)], ByteArena.offset(address));
    }

    private int recordLengthAt(int slot)
    {
        long address = slots[slot] & ADDRESS_MASK;
        return RecordLayout.recordLength(arena.chunks()[ByteArena.chunkIndex(address)], ByteArena.offset(address));
    }

    private void removeIfOwned(String joinValue, String owner)
    {
        int slot = findSlot(slots, arena.chunks(), SearchKey.of(joinValue));
        if (slot < 0 || !owner.equals(ownerAt(slot))) {
            return;
        }
        int length = recordLengthAt(slot);
        long stamp = lock.writeLock();
        try {
            removeSlot(slot);
        }
        finally {
            lock.unlockWrite(stamp);
        }
        size--;
        liveBytes -= length;
        garbageBytes += length;
    }

    /** Backward-shift deletion: later entries of the probe run move up so no tombstone is needed. */
    private void removeSlot(int slot)
    {
        int mask = slots.length - 1;
        int hole = slot;
        int index = (slot + 1) & mask;
        while (slots[index] != EMPTY) {
            int home = homeSlot(slots[index], mask);
            // move the entry into the hole unless its home lies cyclically in (hole, index]
            if (((index - home) & mask) >= ((index - hole) & mask)) {
                slots[hole] = slots[index];
                hole = index;
            }
            index = (index + 1) & mask;
        }
        slots[hole] = EMPTY;
    }

    private int homeSlot(long entry, int mask)
    {
        long address = entry & ADDRESS_MASK;
        return (int) RecordLayout.keyHash(arena.chunks()[ByteArena.chunkIndex(address)], ByteArena.offset(address)) & mask;
    }

    private void put(SearchKey key, long address)
    {
        if (size + 1 > slots.length * MAX_LOAD) {
            long[] resized = rehash(slots, slots.length * 2);
            publish(resized, arena);
        }
        int slot = findSlot(slots, arena.chunks(), key);
        long entry = (key.hash() >>> FINGERPRINT_SHIFT) << FINGERPRINT_SHIFT | address;
        if (slot >= 0) {
            replaceSlot(slot, entry, key.value());
            return;
        }
        int mask = slots.length - 1;
        int index = (int) key.hash() & mask;
        while (slots[index] != EMPTY) {
            index = (index + 1) & mask;
        }
        setSlot(index, entry);
        size++;
    }

    /** Points an occupied slot of {@code joinValue} at a new record; the old one becomes garbage. */
    private void replaceSlot(int slot, long entry, String joinValue)
    {
        String previousOwner = ownerAt(slot);
        int previousLength = recordLengthAt(slot);
        setSlot(slot, entry);
        liveBytes -= previousLength;
        garbageBytes += previousLength;
        if (!previousOwner.equals(joinValue)) {
            // another record key owned this join value: it no longer owns a row
            ownerJoinValues.remove(previousOwner, joinValue);
        }
    }

    private void setSlot(int slot, long entry)
    {
        long stamp = lock.writeLock();
        try {
            slots[slot] = entry;
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    private void publish(long[] newSlots, ByteArena newArena)
    {
        long stamp = lock.writeLock();
        try {
            slots = newSlots;
            arena = newArena;
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Builds a new index of {@code capacity} slots over the current arena (writer only, no lock). */
    private long[] rehash(long[] source, int capacity)
    {
        long[] target = emptySlots(capacity);
        int mask = capacity - 1;
        for (long entry : source) {
            if (entry != EMPTY) {
                int index = homeSlot(entry, mask);
                while (target[index] != EMPTY) {
                    index = (index + 1) & mask;
                }
                target[index] = entry;
            }
        }
        return target;
    }

    /** Copies live records into a fresh arena once garbage exceeds live bytes, then publishes both. */
    private void maybeCompact()
    {
        if (garbageBytes <= liveBytes || garbageBytes < 2L * chunkSize) {
            return;
        }
        ByteArena compacted = new ByteArena(chunkSize);
        long[] newSlots = slots.clone();
        byte[][] chunks = arena.chunks();
        for (int i = 0; i < newSlots.length; i++) {
            long entry = newSlots[i];
            if (entry != EMPTY) {
                long address = entry & ADDRESS_MASK;
                byte[] chunk = chunks[ByteArena.chunkIndex(address)];
                int offset = ByteArena.offset(address);
                long moved = compacted.append(chunk, offset, RecordLayout.recordLength(chunk, offset));
                newSlots[i] = (entry & ~ADDRESS_MASK) | moved;
            }
        }
        publish(newSlots, compacted);
        garbageBytes = 0;
    }

    /** Copies each live arena record as it is: the arena layout is the snapshot's row layout. */
    @Override
    public long writeEncodedRows(EncodedRowSink sink)
            throws IOException
    {
        checkOpen();
        byte[][] chunks = arena.chunks();
        long rows = 0;
        for (long entry : slots) {
            if (entry != EMPTY) {
                long address = entry & ADDRESS_MASK;
                byte[] chunk = chunks[ByteArena.chunkIndex(address)];
                int offset = ByteArena.offset(address);
                sink.accept(chunk, offset, RecordLayout.recordLength(chunk, offset));
                rows++;
            }
        }
        return rows;
    }

    /** Appends the record to the arena as it is and indexes it; decodes nothing but an explicit owner. */
    @Override
    public void loadEncodedRow(byte[] bytes, int offset, int length)
    {
        checkOpen();
        if (RecordLayout.recordLength(bytes, offset) != length) {
            throw new IllegalArgumentException("an encoded row of " + length + " bytes holds a record of " + RecordLayout.recordLength(bytes, offset));
        }
        long address = arena.append(bytes, offset, length);
        liveBytes += length;
        byte[] chunk = arena.chunks()[ByteArena.chunkIndex(address)];
        int at = ByteArena.offset(address);
        putLoaded(RecordLayout.keyHash(chunk, at), address);
        String owner = RecordLayout.explicitOwner(chunk, at);
        if (owner != null) {
            ownerJoinValues.put(owner, RecordLayout.key(chunk, at));
        }
    }

    /** Like {@link #put} for a record already in the arena: keys compare as arena bytes, no string is made. */
    private void putLoaded(long hash, long address)
    {
        if (size + 1 > slots.length * MAX_LOAD) {
            publish(rehash(slots, slots.length * 2), arena);
        }
        byte[][] chunks = arena.chunks();
        byte[] chunk = chunks[ByteArena.chunkIndex(address)];
        int offset = ByteArena.offset(address);
        long fingerprint = hash >>> FINGERPRINT_SHIFT;
        long entry = fingerprint << FINGERPRINT_SHIFT | address;
        int mask = slots.length - 1;
        int index = (int) hash & mask;
        while (slots[index] != EMPTY) {
            long other = slots[index] & ADDRESS_MASK;
            if (slots[index] >>> FINGERPRINT_SHIFT == fingerprint
                    && RecordLayout.sameKey(chunks[ByteArena.chunkIndex(other)], ByteArena.offset(other), chunk, offset)) {
                replaceSlot(index, entry, RecordLayout.key(chunk, offset));
                return;
            }
            index = (index + 1) & mask;
        }
        setSlot(index, entry);
        size++;
    }

    @Override
    public void reserve(long rows)
    {
        checkOpen();
        long wanted = size + Math.max(0, rows);
        if (wanted <= slots.length * MAX_LOAD || wanted > Integer.MAX_VALUE / 2) {
            return;
        }
        publish(rehash(slots, capacityFor((int) wanted)), arena);
    }

    @Override
    public void clear()
    {
        checkOpen();
        long stamp = lock.writeLock();
        try {
            slots = emptySlots(MIN_CAPACITY);
            arena = new ByteArena(chunkSize);
            ownerJoinValues.clear();
            size = 0;
            liveBytes = 0;
            garbageBytes = 0;
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    @Override
    public long size()
    {
        return size;
    }

    @Override
    public long approximateBytes()
    {
        long stamp = lock.readLock();
        try {
            return 8L * slots.length + arena.allocatedBytes() + 96L * ownerJoinValues.size();
        }
        finally {
            lock.unlockRead(stamp);
        }
    }

    /** Bytes of records no longer referenced (reclaimed by the next compaction). */
    long garbageBytes()
    {
        return garbageBytes;
    }

    @Override
    public void close()
    {
        closed = true;
        long stamp = lock.writeLock();
        try {
            slots = emptySlots(1);
            arena = new ByteArena(1024);
            ownerJoinValues.clear();
            size = 0;
        }
        finally {
            lock.unlockWrite(stamp);
        }
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("dimension table is closed");
        }
    }

    private static long[] emptySlots(int capacity)
    {
        long[] slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
        return slots;
    }

    private static int capacityFor(int rows)
    {
        long needed = (long) Math.ceil(Math.max(rows, 1) / MAX_LOAD);
        return (int) Math.max(MIN_CAPACITY, Long.highestOneBit(needed - 1) << 1);
    }
}
