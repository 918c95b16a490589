package io.kaflowsql.engine.internal.operator;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.codec.JoinKeys;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.expr.EvaluationException;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.HeldRecord;
import io.kaflowsql.engine.internal.state.LookupKey;
import io.kaflowsql.engine.internal.state.PendingRecord;
import io.kaflowsql.engine.internal.state.StoredRow;
import io.kaflowsql.engine.internal.state.TaskStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The enrichment operator of one task (pipeline, partition): the semantics of ARCHITECTURE.md
 * section 3. A driving record is looked up in every joined source (dimensions: global tables; event
 * tables: this task's store, rows live while {@code expiresAt > streamTime}), filtered by WHERE,
 * projected, and emitted at once or, under smart emission, held in the pending buffer until an arrival
 * on a joined source completes it or its TTL passes.
 *
 * <p>Time is stream time: the largest event time this task has seen. Nothing here reads a wall clock,
 * so replaying the same input gives the same output.
 *
 * <p>Not thread-safe: confined to the task's thread, like its store.
 */
public final class EnrichmentTask
{
    private static final String STREAM_TIME_KEY = "stream-time";
    /** How far stream time advances between expiry passes; a pass is a range scan of the expiry index. */
    private static final long EXPIRY_INTERVAL_MILLIS = 1_000;
    private static final long RECHECK_DONE = -1;

    private final CompiledPipeline pipeline;
    private final QueryPlan plan;
    private final TaskStore store;
    private final DimensionTable[] dimensions;
    private final PipelineMetrics metrics;
    private final TaskOutput output;
    private final OutputEncoder encoder;
    private final InputLimits limits;
    private final OutputObserver observer;
    private final RowDecoder[] decoders;
    private final Evaluator[] lookupKeys;
    private final int[] joinColumnSlots;
    private final long[] ttlMillis;
    private final int partitionKeySlot;
    private final Evaluator where;
    private final boolean whereReadsDrivingOnly;
    private final boolean smart;
    private final boolean emitOnTimeout;
    private final Projection projection;
    private final String outputTopic;
    private final int sourceCount;
    private final String[] keys;
    private final Object[] values;

    private long streamTime;
    private long nextExpiry;
    /** Id from which held records still await their recheck after the task opened; {@link #RECHECK_DONE} when none do. */
    private long recheckFrom;

    public EnrichmentTask(CompiledPipeline pipeline, TaskStore store, DimensionTable[] dimensions, PipelineMetrics metrics,
            TaskOutput output, OutputEncoder encoder)
    {
        this(pipeline, store, dimensions, metrics, output, encoder, InputLimits.DEFAULTS);
    }

    /** @param limits checked on every record before it is decoded; a record over them is rejected */
    public EnrichmentTask(CompiledPipeline pipeline, TaskStore store, DimensionTable[] dimensions, PipelineMetrics metrics,
            TaskOutput output, OutputEncoder encoder, InputLimits limits)
    {
        this(pipeline, store, dimensions, metrics, output, encoder, limits, InputDecoders.JSON_ONLY, OutputObserver.NONE);
    }

    /**
     * @param inputs decoders of the sources (JSON, or Avro through a schema registry)
     * @param observer sees the output values of every result, right after it is handed to {@code output}
     */
    public EnrichmentTask(CompiledPipeline pipeline, TaskStore store, DimensionTable[] dimensions, PipelineMetrics metrics,
            TaskOutput output, OutputEncoder encoder, InputLimits limits, InputDecoders inputs, OutputObserver observer)
    {
        requireNonNull(inputs, "inputs is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.plan = pipeline.plan();
        this.store = requireNonNull(store, "store is null");
        this.dimensions = requireNonNull(dimensions, "dimensions is null").clone();
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.output = requireNonNull(output, "output is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.observer = requireNonNull(observer, "observer is null");
        this.sourceCount = plan.sources().size();
        this.decoders = new RowDecoder[sourceCount];
        this.lookupKeys = new Evaluator[sourceCount];
        this.joinColumnSlots = new int[sourceCount];
        this.ttlMillis = new long[sourceCount];
        for (SourcePlan source : plan.sources()) {
            int i = source.index();
            decoders[i] = inputs.forSource(source);
            ttlMillis[i] = pipeline.definition().ttlOf(source.topic()).toMillis();
            if (!source.isDriving()) {
                lookupKeys[i] = source.join().lookupKey();
                joinColumnSlots[i] = source.slotOf(source.join().joinColumn());
                if (pipeline.roleOf(source) == SourceRole.DIMENSION && dimensions[i] == null) {
                    throw new IllegalArgumentException("no dimension table for source " + source.alias());
                }
            }
        }
        this.partitionKeySlot = pipeline.partitionKey().map(key -> plan.driving().slotOf(key)).orElse(-1);
        this.where = plan.where();
        this.whereReadsDrivingOnly = plan.whereSources().stream().allMatch(source -> source == 0);
        this.smart = pipeline.definition().emission().isSmart();
        this.emitOnTimeout = pipeline.definition().emission().onTimeout() == io.kaflowsql.engine.api.EmissionSpec.OnTimeout.EMIT;
        this.projection = new Projection(pipeline);
        this.outputTopic = pipeline.definition().output().topic();
        this.keys = new String[sourceCount];
        this.values = new Object[projection.width()];
        byte[] saved = store.getMeta(STREAM_TIME_KEY);
        this.streamTime = saved == null ? Long.MIN_VALUE : ByteBuffer.wrap(saved).getLong();
        this.nextExpiry = streamTime == Long.MIN_VALUE ? Long.MIN_VALUE : streamTime + EXPIRY_INTERVAL_MILLIS;
        this.recheckFrom = smart ? 0 : RECHECK_DONE;
    }

    /** Processes a record of source {@code source} of this task (the driving stream or an event table). */
    public void process(int source, InputRecord record)
    {
        metrics.recordIn(source);
        if (record.value() != null && limits.tooLarge(record.value().length)) {
            output.reject(record, RejectReason.RECORD_TOO_LARGE, "the value has " + record.value().length
                    + " bytes, over the limit of " + limits.maxRecordBytes());
            return;
        }
        if (source == 0) {
            processDriving(record);
        }
        else {
            processEventRow(source, record);
        }
    }

    /**
     * A dimension row of {@code source} was upserted under {@code joinValue}: releases the held records
     * waiting for it. Called on the task's thread after the dimension table changed.
     */
    public void dimensionChanged(int source, String joinValue)
    {
        if (smart) {
            release(source, joinValue);
        }
    }

    public long streamTime()
    {
        return streamTime;
    }

    /** Persists stream time and makes the store durable; called before input offsets are committed. */
    public void flush()
    {
        if (streamTime != Long.MIN_VALUE) {
            store.putMeta(STREAM_TIME_KEY, ByteBuffer.allocate(Long.BYTES).putLong(streamTime).array());
        }
        store.flush();
    }

    private void processDriving(InputRecord record)
    {
        if (record.value() == null) {
            output.reject(record, RejectReason.DRIVING_TOMBSTONE, "a tombstone on the driving stream has no row to enrich");
            return;
        }
        if (partitionKeySlot >= 0 && record.key() == null) {
            output.reject(record, RejectReason.MISSING_KEY, "the driving stream must be keyed by " + plan.driving().alias() + "."
                    + pipeline.partitionKey().orElseThrow() + ", but the record has no key");
            return;
        }
        Object[] row;
        try {
            row = decoders[0].decode(record.value());
        }
        catch (RecordDecodeException e) {
            output.reject(record, RejectReason.UNDECODABLE, e.getMessage());
            return;
        }
        advanceStreamTime(record.timestamp());
        try {
            if (partitionKeySlot >= 0 && !Objects.equals(JoinKeys.canonical(row[partitionKeySlot]), record.keyString())) {
                output.reject(record, RejectReason.PARTITION_KEY_MISMATCH, "record key '" + record.keyString() + "' differs from "
                        + plan.driving().alias() + "." + pipeline.partitionKey().orElseThrow() + " '" + row[partitionKeySlot] + "'");
                return;
            }
            Object[][] frame = new Object[sourceCount][];
            frame[0] = row;
            if (where != null && whereReadsDrivingOnly && !Boolean.TRUE.equals(where.evaluate(frame))) {
                metrics.filtered();
                return;
            }
            lookUp(frame, true);
            if (!attempt(frame, record.timestamp())) {
                store.holdPending(new StoredRow(record.timestamp(), record.timestamp() + ttlMillis[0], row), indexKeys());
                metrics.held();
            }
        }
        catch (EvaluationException e) {
            output.reject(record, RejectReason.EVALUATION_ERROR, e.getMessage());
        }
        catch (OutputEncodingException e) {
            output.reject(record, RejectReason.UNENCODABLE_OUTPUT, e.getMessage());
        }
    }

    private void processEventRow(int source, InputRecord record)
    {
        advanceStreamTime(record.timestamp());
        String recordKey = record.keyString();
        if (record.value() == null) {
            if (recordKey == null) {
                output.reject(record, RejectReason.MISSING_KEY, "a tombstone without a key deletes nothing");
                return;
            }
            store.deleteEvent(source, recordKey);
            return;
        }
        if (recordKey == null) {
            SourcePlan plan = this.plan.sources().get(source);
            output.reject(record, RejectReason.MISSING_KEY, "event table " + plan.topic() + " must be keyed by "
                    + plan.alias() + "." + plan.join().joinColumn() + ", but the record has no key");
            return;
        }
        Object[] row;
        String joinValue;
        try {
            row = decoders[source].decode(record.value());
            joinValue = JoinKeys.canonical(row[joinColumnSlots[source]]);
        }
        catch (RecordDecodeException e) {
            output.reject(record, RejectReason.UNDECODABLE, e.getMessage());
            return;
        }
        catch (EvaluationException e) {
            output.reject(record, RejectReason.EVALUATION_ERROR, e.getMessage());
            return;
        }
        SourcePlan plan = this.plan.sources().get(source);
        if (joinValue == null) {
            output.reject(record, RejectReason.MISSING_JOIN_KEY, plan.alias() + "." + plan.join().joinColumn() + " is missing or null");
            return;
        }
        if (!joinValue.equals(recordKey)) {
            output.reject(record, RejectReason.PARTITION_KEY_MISMATCH, "record key '" + recordKey + "' differs from "
                    + plan.alias() + "." + plan.join().joinColumn() + " '" + joinValue + "'");
            return;
        }
        store.putEvent(source, joinValue, new StoredRow(record.timestamp(), record.timestamp() + ttlMillis[source], row));
        if (smart) {
            release(source, joinValue);
        }
    }

    /** Fills {@code frame[1..]} and {@link #keys} with the current lookups of {@code frame[0]}. */
    private void lookUp(Object[][] frame, boolean countHits)
    {
        for (int i = 1; i < sourceCount; i++) {
            String key = JoinKeys.canonical(lookupKeys[i].evaluate(frame));
            keys[i] = key;
            Object[] row = key == null ? null : lookUp(i, key);
            frame[i] = row;
            if (countHits) {
                metrics.lookup(i, row != null);
            }
        }
    }

    private Object[] lookUp(int source, String key)
    {
        DimensionTable dimension = dimensions[source];
        if (dimension != null) {
            return dimension.get(key);
        }
        StoredRow row = store.getEvent(source, key);
        return row == null || row.expiresAt() <= streamTime ? null : row.values();
    }

    private List<LookupKey> indexKeys()
    {
        List<LookupKey> index = new ArrayList<>(sourceCount - 1);
        for (int i = 1; i < sourceCount; i++) {
            if (keys[i] != null) {
                index.add(new LookupKey(i, keys[i]));
            }
        }
        return index;
    }

    /**
     * Emits or filters the looked-up frame if it is complete; returns false when smart emission must
     * (keep) hold it.
     */
    private boolean attempt(Object[][] frame, long eventTime)
    {
        boolean passes = where == null || whereReadsDrivingOnly || Boolean.TRUE.equals(where.evaluate(frame));
        if (!smart) {
            if (passes) {
                emit(frame, eventTime);
            }
            else {
                metrics.filtered();
            }
            return true;
        }
        projection.evaluate(frame, values);
        if (!projection.complete(frame, values)) {
            return false;
        }
        if (passes) {
            encodeAndEmit(frame, eventTime);
        }
        else {
            metrics.filtered();
        }
        return true;
    }

    private void emit(Object[][] frame, long eventTime)
    {
        projection.evaluate(frame, values);
        encodeAndEmit(frame, eventTime);
    }

    /** @throws OutputEncodingException when the encoder refuses the row or the key column cannot be a Kafka key */
    private void encodeAndEmit(Object[][] frame, long eventTime)
    {
        String key;
        try {
            key = projection.key(frame, values);
        }
        catch (EvaluationException e) {
            throw new OutputEncodingException("the output key cannot be a Kafka key: " + e.getMessage());
        }
        byte[] value = encoder.encode(frame, values);
        output.emit(new OutputRecord(outputTopic, key, value, eventTime));
        metrics.emitted();
        observer.observe(values);
    }

    /**
     * Re-evaluates up to {@code limit} held records against the lookups as they are now, continuing where the last call
     * stopped; true once every held record was rechecked since the task opened (then calls are free).
     *
     * <p>Why: a dimension row upserted while no node had this task open (it was moving between nodes, or its node was
     * restarting) released nothing, and the records waiting for it would stay held until their TTL. The stream thread
     * calls this a page at a time between polls, so a large pending buffer never holds up the task's input.
     */
    public boolean recheckHeld(int limit)
    {
        if (recheckFrom == RECHECK_DONE) {
            return true;
        }
        List<HeldRecord> page = store.heldFrom(recheckFrom, limit);
        for (HeldRecord held : page) {
            reevaluate(held.record(), held.index());
        }
        if (page.size() < limit) {
            recheckFrom = RECHECK_DONE;
            return true;
        }
        recheckFrom = page.get(page.size() - 1).record().id() + 1;
        return false;
    }

    /** Re-evaluates the records held under (source, key) after that lookup changed. */
    private void release(int source, String key)
    {
        for (PendingRecord pending : store.pendingFor(source, key)) {
            reevaluate(pending, null);
        }
    }

    /**
     * Emits a held record if its lookups complete it now; otherwise keeps it held, indexed under the keys its lookups
     * give now (re-indexed unless they equal {@code heldIndex}, the keys it is known to be held under).
     */
    private void reevaluate(PendingRecord pending, List<LookupKey> heldIndex)
    {
        Object[][] frame = new Object[sourceCount][];
        frame[0] = pending.row().values();
        try {
            lookUp(frame, false);
            if (attempt(frame, pending.row().eventTime())) {
                store.removePending(pending.id());
                metrics.released();
            }
            else {
                List<LookupKey> index = indexKeys();
                if (heldIndex == null || !new LinkedHashSet<>(index).equals(new LinkedHashSet<>(heldIndex))) {
                    store.reindexPending(pending.id(), index);
                }
            }
        }
        catch (EvaluationException e) {
            store.removePending(pending.id());
            output.reject(null, RejectReason.EVALUATION_ERROR, "held record " + pending.id() + ": " + e.getMessage());
        }
        catch (OutputEncodingException e) {
            store.removePending(pending.id());
            output.reject(null, RejectReason.UNENCODABLE_OUTPUT, "held record " + pending.id() + ": " + e.getMessage());
        }
    }

    private void advanceStreamTime(long eventTime)
    {
        if (eventTime <= streamTime) {
            return;
        }
        streamTime = eventTime;
        if (streamTime >= nextExpiry) {
            expire();
            nextExpiry = streamTime + EXPIRY_INTERVAL_MILLIS;
        }
    }

    private void expire()
    {
        List<PendingRecord> expired = new ArrayList<>();
        long removed = store.expire(streamTime, expired::add);
        metrics.expiredRows(removed - expired.size());
        for (PendingRecord pending : expired) {
            boolean emitted = emitOnTimeout && emitPartial(pending);
            metrics.expiredHeld(emitted);
        }
    }

    private boolean emitPartial(PendingRecord pending)
    {
        Object[][] frame = new Object[sourceCount][];
        frame[0] = pending.row().values();
        try {
            lookUp(frame, false);
            if (where != null && !Boolean.TRUE.equals(where.evaluate(frame))) {
                metrics.filtered();
                return false;
            }
            emit(frame, pending.row().eventTime());
            return true;
        }
        catch (EvaluationException e) {
            output.reject(null, RejectReason.EVALUATION_ERROR, "held record " + pending.id() + ": " + e.getMessage());
            return false;
        }
        catch (OutputEncodingException e) {
            output.reject(null, RejectReason.UNENCODABLE_OUTPUT, "held record " + pending.id() + ": " + e.getMessage());
            return false;
        }
    }
}
