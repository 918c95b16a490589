package io.kaflowsql.engine.internal.state;

import static java.util.Objects.requireNonNull;

/**
 * A row held in task state. The values array is not copied (this is on the hot path): whoever
 * creates a StoredRow hands the array over and must not mutate it afterwards.
 *
 * @param eventTime event time of the record the row came from (epoch millis)
 * @param expiresAt stream time at which the row expires ({@link Long#MAX_VALUE} = never)
 * @param values the row, one value per column slot (see {@code Evaluator} for the value model)
 */
public record StoredRow(long eventTime, long expiresAt, Object[] values)
{
    public StoredRow
    {
        requireNonNull(values, "values is null");
    }
}
