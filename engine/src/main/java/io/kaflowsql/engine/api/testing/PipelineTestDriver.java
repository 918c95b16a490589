package io.kaflowsql.engine.api.testing;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.internal.avro.AvroOutputEncoder;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration.RegisteredOutput;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.codec.JsonOutputEncoder;
import io.kaflowsql.engine.internal.operator.DimensionUpdater;
import io.kaflowsql.engine.internal.operator.EnrichmentTask;
import io.kaflowsql.engine.internal.operator.OutputEncoder;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.operator.TaskOutput;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.TaskStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Runs a compiled pipeline on given input records without Kafka, like Kafka Streams'
 * {@code TopologyTestDriver}: one task (partition 0) with its real RocksDB store in {@code stateDir},
 * dimension tables in memory, and time taken only from the records' timestamps, so a test controls the
 * clock completely. {@link #restart()} closes and reopens the task's state between records, the way a
 * node restart would.
 *
 * <p>Not thread-safe; one test, one driver.
 */
public final class PipelineTestDriver
        implements AutoCloseable
{
    /** A record that was rejected, with the reason (the dead-letter path). */
    public record Rejected(InputRecord input, RejectReason reason, String detail) {}

    private static final int RECHECK_PAGE = 100;

    private final CompiledPipeline pipeline;
    private final Path stateDir;
    private final InputLimits limits;
    private final PipelineMetrics metrics;
    private final DimensionTable[] dimensions;
    private final DimensionUpdater[] dimensionUpdaters;
    private final List<OutputRecord> outputs = new ArrayList<>();
    private final List<Rejected> rejected = new ArrayList<>();
    private final InputDecoders inputs;
    private final Supplier<OutputEncoder> encoders;

    private TaskStore store;
    private EnrichmentTask task;
    private long offset;

    public PipelineTestDriver(CompiledPipeline pipeline, Path stateDir)
    {
        this(pipeline, stateDir, InputLimits.DEFAULTS);
    }

    /** @param limits the input limits of the task and the dimension updaters, e.g. a small record size */
    public PipelineTestDriver(CompiledPipeline pipeline, Path stateDir, InputLimits limits)
    {
        this(pipeline, stateDir, limits, Optional.empty());
    }

    /**
     * @param registry with a registry, Avro input (Confluent wire format) is decoded like on a node, and a
     *         {@code format: avro} pipeline registers its output schema there and writes Avro; without one,
     *         input must be JSON and output is JSON whatever the pipeline's format
     */
    public PipelineTestDriver(CompiledPipeline pipeline, Path stateDir, InputLimits limits, Optional<SchemaRegistryClient> registry)
    {
        requireNonNull(registry, "registry is null");
        this.inputs = new InputDecoders(registry);
        this.encoders = registry.filter(client -> pipeline.definition().output().format() == OutputFormat.AVRO)
                .<Supplier<OutputEncoder>>map(client -> {
                    RegisteredOutput output = AvroOutputRegistration.register(pipeline, client);
                    return () -> new AvroOutputEncoder(pipeline, output.schema(), output.schemaId());
                })
                .orElse(() -> new JsonOutputEncoder(pipeline.plan())::encode);
        this.limits = requireNonNull(limits, "limits is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.stateDir = requireNonNull(stateDir, "stateDir is null");
        this.metrics = new PipelineMetrics(pipeline.sources());
        List<SourcePlan> sources = pipeline.plan().sources();
        this.dimensions = new DimensionTable[sources.size()];
        this.dimensionUpdaters = new DimensionUpdater[sources.size()];
        for (SourcePlan source : sources) {
            if (pipeline.roleOf(source) == SourceRole.DIMENSION) {
                dimensions[source.index()] = new CompactDimensionTable();
                dimensionUpdaters[source.index()] = new DimensionUpdater(source, dimensions[source.index()], limits, inputs);
            }
        }
        open();
    }

    private void open()
    {
        store = RocksTaskStore.open(stateDir, RocksTaskStoreOptions.DEFAULTS);
        task = new EnrichmentTask(pipeline, store, dimensions, metrics, new CollectingOutput(), encoders.get(), limits, inputs, OutputObserver.NONE);
        while (!task.recheckHeld(RECHECK_PAGE)) {
            // like a node, an opened task rechecks what it holds against the dimensions as they are now
        }
    }

    /** Feeds a JSON record (null value = tombstone) with event time {@code timestamp} (epoch millis). */
    public PipelineTestDriver pipe(String topic, String key, String json, long timestamp)
    {
        return pipe(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), timestamp);
    }

    /** Feeds raw bytes: Avro in the wire format (with a registry), or malformed input. */
    public PipelineTestDriver pipe(String topic, byte[] key, byte[] value, long timestamp)
    {
        InputRecord record = new InputRecord(topic, 0, offset++, key, value, timestamp);
        boolean known = false;
        for (SourcePlan source : pipeline.plan().sources()) {
            if (!source.topic().equals(topic)) {
                continue;
            }
            known = true;
            if (dimensions[source.index()] != null) {
                metrics.recordIn(source.index());
                applyDimension(source, record);
            }
            else if (task == null) {
                throw new IllegalStateException("topic " + topic + " feeds the task, which is stopped; only dimension records can be piped now");
            }
            else {
                task.process(source.index(), record);
            }
        }
        if (!known) {
            throw new IllegalArgumentException("topic " + topic + " is not a source of pipeline " + pipeline.name());
        }
        return this;
    }

    private void applyDimension(SourcePlan source, InputRecord record)
    {
        String joinValue = dimensionUpdaters[source.index()].apply(record, (input, reason, detail) -> {
            metrics.rejected(reason);
            rejected.add(new Rejected(input, reason, detail));
        });
        if (joinValue != null && task != null) {
            task.dimensionChanged(source.index(), joinValue);
        }
    }

    /** Flushes, closes and reopens the task's store, as a node restart would. */
    public PipelineTestDriver restart()
    {
        return restart(() -> {});
    }

    /**
     * Like {@link #restart()}, running {@code whileStopped} while the task is closed: dimension records piped then
     * update the tables but release nothing, as when they arrive while a task moves between nodes.
     */
    public PipelineTestDriver restart(Runnable whileStopped)
    {
        task.flush();
        store.close();
        task = null;
        whileStopped.run();
        open();
        return this;
    }

    /** Results emitted since the last call, in order. */
    public List<OutputRecord> readOutputs()
    {
        List<OutputRecord> result = List.copyOf(outputs);
        outputs.clear();
        return result;
    }

    public List<Rejected> rejected()
    {
        return List.copyOf(rejected);
    }

    public PipelineMetrics metrics()
    {
        return metrics;
    }

    public long streamTime()
    {
        return task.streamTime();
    }

    @Override
    public void close()
    {
        store.close();
        for (DimensionTable table : dimensions) {
            if (table != null) {
                table.close();
            }
        }
    }

    private final class CollectingOutput
            implements TaskOutput
    {
        @Override
        public void emit(OutputRecord record)
        {
            outputs.add(record);
        }

        @Override
        public void reject(InputRecord input, RejectReason reason, String detail)
        {
            metrics.rejected(reason);
            rejected.add(new Rejected(input, reason, detail));
        }
    }
}
