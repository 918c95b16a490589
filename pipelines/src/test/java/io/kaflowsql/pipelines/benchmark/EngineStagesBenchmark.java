package io.kaflowsql.pipelines.benchmark;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.InputRecord;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.OutputRecord;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.internal.avro.AvroOutputEncoder;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration.RegisteredOutput;
import io.kaflowsql.engine.internal.avro.InputDecoders;
import io.kaflowsql.engine.internal.codec.JoinKeys;
import io.kaflowsql.engine.internal.codec.JsonOutputEncoder;
import io.kaflowsql.engine.internal.codec.RecordDecodeException;
import io.kaflowsql.engine.internal.codec.RowDecoder;
import io.kaflowsql.engine.internal.expr.Evaluator;
import io.kaflowsql.engine.internal.operator.DimensionUpdater;
import io.kaflowsql.engine.internal.operator.EnrichmentTask;
import io.kaflowsql.engine.internal.operator.OutputEncoder;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.operator.Projection;
import io.kaflowsql.engine.internal.operator.TaskOutput;
import io.kaflowsql.engine.internal.plan.OutputItem;
import io.kaflowsql.engine.internal.plan.QueryPlan;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.CompactDimensionTable;
import io.kaflowsql.engine.internal.state.DimensionTable;
import io.kaflowsql.engine.internal.state.LookupKey;
import io.kaflowsql.engine.internal.state.RocksTaskStore;
import io.kaflowsql.engine.internal.state.RocksTaskStoreOptions;
import io.kaflowsql.engine.internal.state.StoredRow;
import io.kaflowsql.pipelines.personalization.AvroValueEncoding;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.ValueEncoding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The stages of the engine's per-click hot path, each timed alone with the engine's own classes on the
 * seed pipeline's data: the same 100K user profiles, 50K products and purchase history as
 * {@link EnrichmentBenchmark}, loaded through the production paths ({@link DimensionUpdater} into a
 * {@link CompactDimensionTable}, {@link EnrichmentTask#process} into the task's {@link RocksTaskStore}).
 * One operation = one click's share of that stage, so the figures (ns/op) add up to a per-click cost that
 * can be set against {@link EnrichmentBenchmark}'s.
 *
 * <p>The clicks are generated and prepared once: their encoded bytes (for decode), their decoded rows (for
 * WHERE), and for the clicks that pass WHERE (the only ones the task looks up, projects and encodes) their
 * lookup keys, looked-up frame and output values. Each benchmark cycles through its array.
 *
 * <p>Under smart emission the clicks that lack a required column (no user profile or no product) are also held:
 * {@link #holdPending} times that write.
 *
 * <p>Run: {@code scripts/bench-engine.sh stages}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineStagesBenchmark
{
    private static final int CLICKS = 50_000;
    private static final Set<String> CASE_COLUMNS = Set.of("category_affinity", "price_sensitivity", "personalization_tier");

    /** {@code json}: JSON in and out; {@code avro}: clicks in the Confluent wire format, Avro out (as {@link EnrichmentBenchmark}). */
    @Param({"json", "avro"})
    String format;

    private Path stateDir;
    private RocksTaskStore store;
    private RocksTaskStore uncachedStore;
    private DimensionTable[] dimensions;
    private int users;
    private int products;
    private int history;

    private RowDecoder clickDecoder;
    private Evaluator where;
    private Evaluator[] caseColumns;
    private Projection projection;
    private Object[] projected;
    private OutputEncoder encoder;

    private byte[][] clickValues;
    private Object[][][] decodedFrames;
    private String[] userKeys;
    private String[] productKeys;
    private Object[][][] joinedFrames;
    private Object[][] outputValues;
    private StoredRow[] heldRows;
    private List<LookupKey>[] heldIndexes;
    private int passing;
    private int next;
    private int nextPassing;
    private int nextHeld;

    @Setup(Level.Trial)
    public void setUp()
            throws IOException, RecordDecodeException
    {
        boolean avro = format.equals("avro");
        CompiledPipeline pipeline = new PipelineLoader().load(Files.readString(Path.of(pipelineFile())), "pipeline.yaml",
                definition -> definition.withOutputFormat(avro ? OutputFormat.AVRO : OutputFormat.JSON));
        QueryPlan plan = pipeline.plan();
        users = indexOf(plan, PersonalizationTopics.USER_PROFILES);
        products = indexOf(plan, PersonalizationTopics.PRODUCTS);
        history = indexOf(plan, PersonalizationTopics.PURCHASE_HISTORY);

        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(101);
        ValueEncoding encoding = avro
                ? AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES))
                : ValueEncoding.json();
        InputDecoders inputs = new InputDecoders(avro ? Optional.of(registry) : Optional.empty());
        clickDecoder = inputs.forSource(plan.driving());
        where = plan.where();
        caseColumns = plan.outputs().stream()
                .filter(item -> item instanceof OutputItem.Column column && CASE_COLUMNS.contains(column.name()))
                .map(item -> ((OutputItem.Column) item).evaluator())
                .toArray(Evaluator[]::new);
        projection = new Projection(pipeline);
        projected = new Object[projection.width()];
        if (avro) {
            RegisteredOutput output = AvroOutputRegistration.register(pipeline, registry);
            encoder = new AvroOutputEncoder(pipeline, output.schema(), output.schemaId());
        }
        else {
            encoder = new JsonOutputEncoder(plan)::encode;
        }

        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults());
        loadState(pipeline, inputs, encoding, dataset);
        prepareClicks(plan, encoding, dataset);
        prepareHeld(pipeline);
    }

    /** Dimensions and purchase history through the engine's own write paths, as {@code PipelineTestDriver} loads them. */
    private void loadState(CompiledPipeline pipeline, InputDecoders inputs, ValueEncoding encoding, PersonalizationDataset dataset)
            throws IOException
    {
        List<SourcePlan> sources = pipeline.plan().sources();
        dimensions = new DimensionTable[sources.size()];
        DimensionUpdater[] updaters = new DimensionUpdater[sources.size()];
        for (SourcePlan source : sources) {
            if (pipeline.roleOf(source) == SourceRole.DIMENSION) {
                dimensions[source.index()] = new CompactDimensionTable();
                updaters[source.index()] = new DimensionUpdater(source, dimensions[source.index()], InputLimits.DEFAULTS, inputs);
            }
        }
        DimensionUpdater.Rejects failOnReject = (input, reason, detail) -> {
            throw new IllegalStateException(reason + ": " + detail);
        };
        dataset.forEachUserProfile(record -> updaters[users].apply(input(record, encoding), failOnReject));
        dataset.forEachProduct(record -> updaters[products].apply(input(record, encoding), failOnReject));

        stateDir = Files.createTempDirectory("kaflowsql-stages-");
        store = RocksTaskStore.open(stateDir.resolve("cached"), RocksTaskStoreOptions.REBUILT_ON_RESTART); // as the stream thread opens them
        uncachedStore = RocksTaskStore.open(stateDir.resolve("uncached"), RocksTaskStoreOptions.REBUILT_ON_RESTART.withReadCacheEntries(0));
        PipelineMetrics metrics = new PipelineMetrics(pipeline.sources());
        for (RocksTaskStore taskStore : List.of(store, uncachedStore)) {
            EnrichmentTask task = new EnrichmentTask(pipeline, taskStore, dimensions, metrics, new FailingOutput(), encoder, InputLimits.DEFAULTS, inputs,
                    OutputObserver.NONE);
            dataset.forEachPurchaseHistory(record -> task.process(history, input(record, encoding)));
            task.flush();
        }
    }

    /** Clicks as the task sees them, and for those passing WHERE what each later stage starts from. */
    private void prepareClicks(QueryPlan plan, ValueEncoding encoding, PersonalizationDataset dataset)
            throws RecordDecodeException
    {
        clickValues = new byte[CLICKS][];
        decodedFrames = new Object[CLICKS][][];
        List<Object[][]> joined = new ArrayList<>();
        long time = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        int userHits = 0;
        int productHits = 0;
        int historyHits = 0;
        for (int i = 0; i < CLICKS; i++) {
            GeneratedRecord click = dataset.nextClick(time++);
            clickValues[i] = encoding.encode(click);
            Object[][] frame = new Object[plan.sources().size()][];
            frame[0] = clickDecoder.decode(clickValues[i]);
            decodedFrames[i] = frame;
            if (!Boolean.TRUE.equals(where.evaluate(frame))) {
                continue;
            }
            Object[][] full = frame.clone();
            for (int source = 1; source < full.length; source++) {
                String key = JoinKeys.canonical(plan.sources().get(source).join().lookupKey().evaluate(full));
                full[source] = key == null ? null : lookUp(source, key);
            }
            userHits += full[users] == null ? 0 : 1;
            productHits += full[products] == null ? 0 : 1;
            historyHits += full[history] == null ? 0 : 1;
            joined.add(full);
        }
        passing = joined.size();
        joinedFrames = joined.toArray(Object[][][]::new);
        userKeys = new String[passing];
        productKeys = new String[passing];
        outputValues = new Object[passing][];
        for (int i = 0; i < passing; i++) {
            userKeys[i] = lookupKey(plan, users, joinedFrames[i]);
            productKeys[i] = lookupKey(plan, products, joinedFrames[i]);
            outputValues[i] = new Object[projection.width()];
            projection.evaluate(joinedFrames[i], outputValues[i]);
        }
        System.out.printf("%n%d clicks, %d pass WHERE (%.1f%%); of those, hits: user %.1f%%, product %.1f%%, history %.1f%%%n",
                CLICKS, passing, 100.0 * passing / CLICKS, 100.0 * userHits / passing, 100.0 * productHits / passing, 100.0 * historyHits / passing);
    }

    /** The passing clicks smart emission holds (a required output column is NULL), as the task stores them. */
    @SuppressWarnings("unchecked")
    private void prepareHeld(CompiledPipeline pipeline)
    {
        QueryPlan plan = pipeline.plan();
        List<String> names = plan.outputs().stream().map(item -> item instanceof OutputItem.Column column ? column.name() : "*").toList();
        int[] required = pipeline.definition().emission().require().stream().mapToInt(names::indexOf).toArray();
        long ttl = pipeline.definition().ttlOf(PersonalizationTopics.CLICKSTREAMS).toMillis();
        List<StoredRow> rows = new ArrayList<>();
        List<List<LookupKey>> indexes = new ArrayList<>();
        long time = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        for (int i = 0; i < passing; i++) {
            Object[] values = outputValues[i];
            if (Arrays.stream(required).allMatch(column -> values[column] != null)) {
                continue;
            }
            List<LookupKey> index = new ArrayList<>();
            for (int source = 1; source < plan.sources().size(); source++) {
                String key = lookupKey(plan, source, joinedFrames[i]);
                if (key != null) {
                    index.add(new LookupKey(source, key));
                }
            }
            rows.add(new StoredRow(time + i, time + i + ttl, joinedFrames[i][0]));
            indexes.add(index);
        }
        heldRows = rows.toArray(StoredRow[]::new);
        heldIndexes = indexes.toArray(List[]::new);
        System.out.printf("%d of the passing clicks are held (%.1f%%)%n", heldRows.length, 100.0 * heldRows.length / passing);
    }

    private Object[] lookUp(int source, String key)
    {
        if (dimensions[source] != null) {
            return dimensions[source].get(key);
        }
        StoredRow row = store.getEvent(source, key);
        return row == null ? null : row.values();
    }

    private static String lookupKey(QueryPlan plan, int source, Object[][] frame)
    {
        return JoinKeys.canonical(plan.sources().get(source).join().lookupKey().evaluate(frame));
    }

    private static int indexOf(QueryPlan plan, String topic)
    {
        return plan.sources().stream().filter(source -> source.topic().equals(topic)).findFirst().orElseThrow().index();
    }

    private static InputRecord input(GeneratedRecord record, ValueEncoding encoding)
    {
        return new InputRecord(record.topic(), 0, 0, record.key().getBytes(StandardCharsets.UTF_8), encoding.encode(record), record.timestampMillis());
    }

    private static String pipelineFile()
    {
        String module = "personalization/pipeline.yaml";
        return Files.exists(Path.of(module)) ? module : "pipelines/" + module;
    }

    private int nextClick()
    {
        int i = next;
        next = i + 1 == CLICKS ? 0 : i + 1;
        return i;
    }

    private int nextPassingClick()
    {
        int i = nextPassing;
        nextPassing = i + 1 == passing ? 0 : i + 1;
        return i;
    }

    /** One click's value decoded into its row, only the columns the query reads (projection pushdown); every click. */
    @Benchmark
    public Object[] decode()
            throws RecordDecodeException
    {
        return clickDecoder.decode(clickValues[nextClick()]);
    }

    /** The compiled WHERE ({@code c.event_type IN (...)}) over one decoded click; every click. */
    @Benchmark
    public Object where()
    {
        return where.evaluate(decodedFrames[nextClick()]);
    }

    /** The two dimension lookups of one passing click: its user profile and its product, each decoded from the compact table. */
    @Benchmark
    public void dimensionLookups(Blackhole blackhole)
    {
        int i = nextPassingClick();
        blackhole.consume(dimensions[users].get(userKeys[i]));
        blackhole.consume(dimensions[products].get(productKeys[i]));
    }

    /** The purchase-history lookup of one passing click in the task's store, as configured by default (decoded-row cache, then RocksDB). */
    @Benchmark
    public StoredRow eventTableLookup()
    {
        return store.getEvent(history, userKeys[nextPassingClick()]);
    }

    /** The same lookup with the store's decoded-row cache off: a RocksDB get and a row decode every time. */
    @Benchmark
    public StoredRow eventTableLookupUncached()
    {
        return uncachedStore.getEvent(history, userKeys[nextPassingClick()]);
    }

    /** The seed's three CASE columns (category_affinity, price_sensitivity, personalization_tier) over one looked-up frame. */
    @Benchmark
    public void caseColumns(Blackhole blackhole)
    {
        Object[][] frame = joinedFrames[nextPassingClick()];
        for (Evaluator column : caseColumns) {
            blackhole.consume(column.evaluate(frame));
        }
    }

    /** The whole SELECT list (30 columns, the CASE columns included) of one looked-up frame, as the task projects it. */
    @Benchmark
    public Object[] projection()
    {
        projection.evaluate(joinedFrames[nextPassingClick()], projected);
        return projected;
    }

    /**
     * Holding one click smart emission cannot emit yet (no user profile or no product): one RocksDB write batch of the
     * record, an index entry per lookup key and an expiry entry. Held records pile up over the run as they do in
     * {@link EnrichmentBenchmark} (none expires or is released there either).
     */
    @Benchmark
    public long holdPending()
    {
        int i = nextHeld;
        nextHeld = i + 1 == heldRows.length ? 0 : i + 1;
        return store.holdPending(heldRows[i], heldIndexes[i]);
    }

    /** One output record's value encoded from its 30 projected values (JSON, or Avro in the Confluent wire format). */
    @Benchmark
    public byte[] encode()
    {
        int i = nextPassingClick();
        return encoder.encode(joinedFrames[i], outputValues[i]);
    }

    @TearDown(Level.Trial)
    public void tearDown()
            throws IOException
    {
        store.close();
        uncachedStore.close();
        for (DimensionTable table : dimensions) {
            if (table != null) {
                table.close();
            }
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Setup feeds only valid purchase history, which emits nothing; anything else here is a broken setup. */
    private static final class FailingOutput
            implements TaskOutput
    {
        @Override
        public void emit(OutputRecord record)
        {
            throw new IllegalStateException("loading purchase history emitted " + record);
        }

        @Override
        public void reject(InputRecord input, RejectReason reason, String detail)
        {
            throw new IllegalStateException("purchase history record rejected: " + reason + ": " + detail);
        }
    }
}
