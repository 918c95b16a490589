package io.kaflowsql.engine.internal.state;

import static java.util.Objects.requireNonNull;

/**
 * A driving record held by smart emission.
 *
 * @param id the id {@link TaskStore#holdPending} returned (monotonic per task, also across restarts)
 * @param row the held driving row
 */
public record PendingRecord(long id, StoredRow row)
{
    public PendingRecord
    {
        requireNonNull(row, "row is null");
    }
}
