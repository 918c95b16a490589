package io.kaflowsql.pipelines.benchmark;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.InputLimits;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.testing.InMemorySchemaRegistry;
import io.kaflowsql.engine.api.testing.PipelineTestDriver;
import io.kaflowsql.pipelines.personalization.AvroValueEncoding;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.GeneratorSettings;
import io.kaflowsql.pipelines.personalization.PersonalizationDataset;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import io.kaflowsql.pipelines.personalization.ValueEncoding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The engine alone, no Kafka: the seed pipeline (verbatim, output as JSON) processing clickstream
 * records one at a time on one thread, with 100K user profiles and 50K products as dimensions and
 * purchase history for 88% of users in the task's RocksDB store. One operation = one click record:
 * decode (projection pushdown), 3 lookups, WHERE, 30 output columns, smart-emission check, JSON encode.
 * Clicks arrive 1 ms of event time apart, so held records and TTL expiry take their real share.
 * {@code format} compares JSON with Avro input and output.
 *
 * <p>Run: {@code scripts/bench-engine.sh} (throughput and sample-time percentiles).
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnrichmentBenchmark
{
    private static final int CLICKS = 200_000;

    @Param("100000")
    int users;

    @Param("50000")
    int products;

    /** {@code smart}: the seed as written; {@code immediate}: the same query emitting at once (no held records). */
    @Param({"smart", "immediate"})
    String emission;

    /**
     * {@code json}: JSON clicks in, JSON out. {@code avro}: clicks and user profiles in the Confluent Avro wire
     * format (products and purchase history stay JSON, as in {@code demo --format avro}), Avro out; the schema
     * registry is in memory, so this measures the codecs, not HTTP (schemas are cached after the first lookup).
     */
    @Param({"json", "avro"})
    String format;

    private ValueEncoding encoding;
    private Path stateDir;
    private PipelineTestDriver driver;
    private byte[][] keys;
    private byte[][] values;
    private long[] times;
    private int next;
    private long timeShift;

    @Setup(Level.Trial)
    public void setUp()
            throws IOException
    {
        String text = Files.readString(Path.of(pipelineFile()));
        if (emission.equals("immediate")) {
            text = text.substring(0, text.indexOf("emission:")) + "emission:\n  type: immediate\n\n" + text.substring(text.indexOf("state:"));
        }
        boolean avro = format.equals("avro");
        CompiledPipeline pipeline = new PipelineLoader().load(text, "pipeline.yaml",
                definition -> definition.withOutputFormat(avro ? OutputFormat.AVRO : OutputFormat.JSON));
        stateDir = Files.createTempDirectory("kaflowsql-bench-");
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry(101);
        encoding = avro ? AvroValueEncoding.register(registry, Set.of(PersonalizationTopics.CLICKSTREAMS, PersonalizationTopics.USER_PROFILES))
                : ValueEncoding.json();
        driver = new PipelineTestDriver(pipeline, stateDir, InputLimits.DEFAULTS, avro ? Optional.of(registry) : Optional.empty());
        PersonalizationDataset dataset = new PersonalizationDataset(GeneratorSettings.defaults().withUsers(users).withProducts(products));
        dataset.forEachUserProfile(this::pipe);
        dataset.forEachProduct(this::pipe);
        dataset.forEachPurchaseHistory(this::pipe);
        keys = new byte[CLICKS][];
        values = new byte[CLICKS][];
        times = new long[CLICKS];
        long time = GeneratorSettings.DEFAULT_START_EPOCH_MILLIS;
        for (int i = 0; i < CLICKS; i++) {
            GeneratedRecord click = dataset.nextClick(time);
            keys[i] = click.key().getBytes(StandardCharsets.UTF_8);
            values[i] = encoding.encode(click);
            times[i] = time;
            time += 1;
        }
        driver.readOutputs();
    }

    private void pipe(GeneratedRecord record)
    {
        driver.pipe(record.topic(), record.key().getBytes(StandardCharsets.UTF_8), encoding.encode(record), record.timestampMillis());
    }

    private static String pipelineFile()
    {
        String module = "personalization/pipeline.yaml";
        return Files.exists(Path.of(module)) ? module : "pipelines/" + module;
    }

    @Benchmark
    public int processClick()
    {
        int i = next;
        driver.pipe("clickstreams", keys[i], values[i], times[i] + timeShift);
        if (++next == CLICKS) {
            next = 0;
            timeShift += CLICKS;
        }
        if ((i & 1023) == 0) {
            return driver.readOutputs().size();
        }
        return i;
    }

    @TearDown(Level.Trial)
    public void tearDown()
            throws IOException
    {
        System.out.printf("%nheld %d, released %d, expired %d, emitted %d, filtered %d%n", driver.metrics().heldCount(),
                driver.metrics().releasedCount(), driver.metrics().expiredDropped(), driver.metrics().recordsOut(), driver.metrics().filteredOut());
        driver.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
