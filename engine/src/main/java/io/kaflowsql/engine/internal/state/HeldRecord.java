package io.kaflowsql.engine.internal.state;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A record held by smart emission together with the lookup keys it is indexed under, as {@link TaskStore#heldFrom}
 * lists them (a recheck compares them with the keys the lookups give now, and re-indexes only when they differ).
 */
public record HeldRecord(PendingRecord record, List<LookupKey> index)
{
    public HeldRecord
    {
        requireNonNull(record, "record is null");
        index = List.copyOf(index);
    }
}
