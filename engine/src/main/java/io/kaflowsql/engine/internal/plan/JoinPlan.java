package io.kaflowsql.engine.internal.plan;

import io.kaflowsql.engine.internal.expr.Evaluator;

import static java.util.Objects.requireNonNull;

/**
 * How a joined source is looked up: {@code LEFT JOIN <source> ON <lookupKey> = <source>.<joinColumn>}.
 *
 * @param lookupKey evaluates the key over the frame of the sources declared before this one
 * @param lookupKeySql the key expression as written, for plans and messages (e.g. {@code c.user_id})
 * @param keySourceIndex index of the source the key column belongs to (0 = driving stream)
 * @param keyColumn the key column's name in that source
 * @param joinColumn the column of this source the key is compared with
 */
public record JoinPlan(
        Evaluator lookupKey,
        String lookupKeySql,
        int keySourceIndex,
        String keyColumn,
        String joinColumn)
{
    public JoinPlan
    {
        requireNonNull(lookupKey, "lookupKey is null");
        requireNonNull(lookupKeySql, "lookupKeySql is null");
        requireNonNull(keyColumn, "keyColumn is null");
        requireNonNull(joinColumn, "joinColumn is null");
    }
}
