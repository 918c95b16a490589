package io.kaflowsql.engine.internal.operator;

import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.codec.JoinKeys;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.expr.EvaluationException;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;

import static java.util.Objects.requireNonNull;

/**
 * Applies records of a dimension topic to its table: an upsert keyed by the join column, a tombstone
 * deleting the row of its record key. The one place these semantics live, shared by the Kafka runtime
 * and the test driver.
 *
 * <p>Called from the single writer thread of the table; holds only immutable state.
 */
public final class DimensionUpdater
{
    /** Receives records that cannot be applied. */
    @FunctionalInterface
    public interface Rejects
    {
        void reject(InputRecord input, RejectReason reason, String detail);
    }

    private final SourcePlan source;
    private final DimensionTable table;
    private final RowDecoder decoder;
    private final int joinSlot;
    private final InputLimits limits;

    public DimensionUpdater(SourcePlan source, DimensionTable table)
    {
        this(source, table, InputLimits.DEFAULTS);
    }

    /** @param limits checked before a record is decoded; a record over them is rejected, not applied */
    public DimensionUpdater(SourcePlan source, DimensionTable table, InputLimits limits)
    {
        this(source, table, limits, InputDecoders.JSON_ONLY);
    }

    /** @param inputs decodes the source's records (JSON, or Avro through a schema registry) */
    public DimensionUpdater(SourcePlan source, DimensionTable table, InputLimits limits, InputDecoders inputs)
    {
        this.limits = requireNonNull(limits, "limits is null");
        this.source = requireNonNull(source, "source is null");
        this.table = requireNonNull(table, "table is null");
        this.decoder = inputs.forSource(source);
        this.joinSlot = source.slotOf(source.join().joinColumn());
    }

    /** @return the join value upserted (held records waiting on it may now complete), or null */
    public String apply(InputRecord record, Rejects rejects)
    {
        String recordKey = record.keyString();
        if (record.value() == null) {
            if (recordKey != null) {
                table.delete(recordKey);
            }
            return null;
        }
        if (limits.tooLarge(record.value().length)) {
            rejects.reject(record, RejectReason.RECORD_TOO_LARGE, "the value has " + record.value().length
                    + " bytes, over the limit of " + limits.maxRecordBytes());
            return null;
        }
        try {
            Object[] row = decoder.decode(record.value());
            String joinValue = JoinKeys.canonical(row[joinSlot]);
            if (joinValue == null) {
                rejects.reject(record, RejectReason.MISSING_JOIN_KEY, source.alias() + "." + source.join().joinColumn() + " is missing or null");
                return null;
            }
            table.upsert(recordKey, joinValue, row);
            return joinValue;
        }
        catch (RecordDecodeException e) {
            rejects.reject(record, RejectReason.UNDECODABLE, e.getMessage());
        }
        catch (EvaluationException e) {
            rejects.reject(record, RejectReason.EVALUATION_ERROR, e.getMessage());
        }
        return null;
    }
}
