package io.kaflowsql.node.bench.streams;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The seed personalization query written by hand in the Kafka Streams DSL, as the benchmark's point of
 * comparison ({@link StreamsComparisonBenchmark} runs it in its own JVM):
 * <pre>
 * clickstreams (KStream, key user_id)
 *   .filter(WHERE event_type IN (...))
 *   .leftJoin(purchase_history KTable)                 -- LEFT JOIN purchase_history h ON c.user_id = h.user_id (co-partitioned)
 *   .leftJoin(user_profiles GlobalKTable, c.user_id)   -- LEFT JOIN user_profiles u ON c.user_id = u.user_id
 *   .leftJoin(products GlobalKTable, c.product_id)     -- LEFT JOIN products p ON c.product_id = p.product_id
 *   .filter(require user_subscription_tier, product_category)
 *   .mapValues(SELECT list with the three CASE columns)
 *   .to(personalized_events, key user_id)
 * </pre>
 * The WHERE runs first (it reads only the click, so the result is the same and filtered clicks skip the
 * lookups). The topology is built with {@code topology.optimization=all}, so the purchase-history KTable uses
 * its source topic as its changelog (no extra changelog writes) and nothing is repartitioned. The clients get
 * the KaflowSQL node's settings where they matter for speed (producer {@code linger.ms=1} and no compression, consumer
 * {@code fetch.max.wait.ms=100}, {@code max.poll.records=2000}); everything else is Streams' defaults.
 *
 * <p>As a process it prints {@code STREAMS_STATE <state> <epochMillis>} on every state change and
 * {@code STREAMS_RESTORED <store> <records> <epochMillis>} when a global store is restored, which the
 * benchmark reads from its log. Not thread-safe as an object; one per JVM.
 */
@Command(name = "personalization-streams", mixinStandardHelpOptions = true,
        description = "The seed personalization pipeline as a hand-written Kafka Streams application.")
public final class PersonalizationStreamsApp
        implements Callable<Integer>
{
    /** Where the stores live: RocksDB (Streams' default, as the engine's event tables) or memory. */
    enum StoreKind
    {
        ROCKSDB, IN_MEMORY
    }

    static final Serde<Click> CLICK = JsonSerde.of(Click.class);
    static final Serde<Profile> PROFILE = JsonSerde.of(Profile.class);
    static final Serde<Product> PRODUCT = JsonSerde.of(Product.class);
    static final Serde<History> HISTORY = JsonSerde.of(History.class);
    static final Serde<PersonalizedEvent> EVENT = JsonSerde.of(PersonalizedEvent.class);

    static final String USER_PROFILES = "user_profiles";
    static final String PRODUCTS = "products";
    static final String PURCHASE_HISTORY = "purchase_history";

    private static final Clock CLOCK = Clock.systemUTC();

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--application-id", defaultValue = "personalization-streams", description = "application.id = consumer group (default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--clicks-topic", defaultValue = "clickstreams", description = "Driving stream (default ${DEFAULT-VALUE}).")
    String clicksTopic;

    @Option(names = "--output-topic", defaultValue = "personalized_events", description = "Result topic (default ${DEFAULT-VALUE}).")
    String outputTopic;

    @Option(names = "--guarantee", defaultValue = "exactly_once", description = "exactly_once (exactly_once_v2) or at_least_once (default ${DEFAULT-VALUE}).")
    String guarantee;

    @Option(names = "--threads", defaultValue = "1", description = "num.stream.threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--commit-interval-ms", defaultValue = "100", description = "commit.interval.ms, for both guarantees (default ${DEFAULT-VALUE}).")
    long commitIntervalMillis;

    @Option(names = "--stores", defaultValue = "ROCKSDB", description = "ROCKSDB or IN_MEMORY (default ${DEFAULT-VALUE}).")
    StoreKind stores;

    @Option(names = "--state-dir", required = true, description = "state.dir.")
    Path stateDir;

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new PersonalizationStreamsApp()).execute(args));
    }

    @Override
    public Integer call()
            throws InterruptedException
    {
        Properties config = config(bootstrapServers, applicationId, guarantee, threads, commitIntervalMillis, stateDir);
        KafkaStreams streams = new KafkaStreams(topology(clicksTopic, outputTopic, stores, config), config);
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("STREAMS_STATE " + now + " " + CLOCK.millis());
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        streams.setGlobalStateRestoreListener(new RestoreReport());
        streams.setUncaughtExceptionHandler(exception -> {
            exception.printStackTrace(System.out);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        // SIGTERM: close cleanly (commit, release the tasks); the JVM exits once the hook returns
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(30)), "personalization-streams-shutdown"));
        streams.start();
        stopped.await();
        boolean failed = streams.state() == KafkaStreams.State.ERROR;
        streams.close(Duration.ofSeconds(30));
        return failed ? 1 : 0;
    }

    /** The application's configuration; {@code guarantee} is {@code exactly_once}, {@code exactly_once_v2} or {@code at_least_once}. */
    static Properties config(String bootstrapServers, String applicationId, String guarantee, int threads, long commitIntervalMillis, Path stateDir)
    {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee(guarantee));
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMillis);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        // bad input never stops the application (the engine dead-letters it)
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
        config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "none");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        config.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        return config;
    }

    static String processingGuarantee(String guarantee)
    {
        return switch (guarantee) {
            case "exactly_once", "exactly_once_v2" -> StreamsConfig.EXACTLY_ONCE_V2;
            case "at_least_once" -> StreamsConfig.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("guarantee must be exactly_once or at_least_once: " + guarantee);
        };
    }

    /** The seed query as a topology; {@code config} is passed to {@link StreamsBuilder#build(Properties)} (for the optimizations). */
    static Topology topology(String clicksTopic, String outputTopic, StoreKind stores, Properties config)
    {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, Profile> profiles = builder.globalTable(USER_PROFILES, Consumed.with(Serdes.String(), PROFILE), store("user-profiles", PROFILE, stores));
        GlobalKTable<String, Product> products = builder.globalTable(PRODUCTS, Consumed.with(Serdes.String(), PRODUCT), store("products", PRODUCT, stores));
        KTable<String, History> histories = builder.table(PURCHASE_HISTORY, Consumed.with(Serdes.String(), HISTORY), store("purchase-history", HISTORY, stores));
        builder.stream(clicksTopic, Consumed.with(Serdes.String(), CLICK))
                .filter((userId, click) -> click != null && PersonalizedEvent.kept(click), Named.as("where-event-type"))
                .leftJoin(histories, EnrichedClick::of, Joined.<String, Click, History>with(Serdes.String(), CLICK, HISTORY).withName("join-purchase-history"))
                .leftJoin(profiles, (userId, row) -> row.click().userId(), EnrichedClick::withProfile, Named.as("join-user-profiles"))
                .leftJoin(products, (userId, row) -> row.click().productId(), EnrichedClick::withProduct, Named.as("join-products"))
                .filter((userId, row) -> row.complete(), Named.as("require-tier-and-category"))
                .mapValues(PersonalizedEvent::of, Named.as("select"))
                .to(outputTopic, Produced.with(Serdes.String(), EVENT).withName("personalized-events"));
        return builder.build(config);
    }

    private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> store(String name, Serde<V> values, StoreKind kind)
    {
        Materialized<String, V, KeyValueStore<Bytes, byte[]>> store = kind == StoreKind.IN_MEMORY
                ? Materialized.<String, V>as(Stores.inMemoryKeyValueStore(name))
                : Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(name);
        return store.withKeySerde(Serdes.String()).withValueSerde(values);
    }

    /** Prints when each global store (the dimensions) is restored: part of the time to ready. */
    private static final class RestoreReport
            implements StateRestoreListener
    {
        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {}

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {}

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored)
        {
            System.out.println("STREAMS_RESTORED " + store + " " + partition + " " + totalRestored + " " + CLOCK.millis());
        }
    }
}
