package io.kaflowsql.engine.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineMetrics;
import io.kaflowsql.engine.api.SourceRole;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.DimensionBootstrap;
import io.kaflowsql.engine.api.runtime.DimensionBootstrapStats;
import io.kaflowsql.engine.api.runtime.PipelineRuntime.State;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.engine.internal.avro.AvroOutputRegistration;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import io.kaflowsql.engine.internal.metrics.DeclaredMetrics;
import io.kaflowsql.engine.internal.metrics.PipelineMeters;
import io.kaflowsql.engine.internal.operator.OutputObserver;
import io.kaflowsql.engine.internal.plan.SourcePlan;
import io.kaflowsql.engine.internal.state.DimensionTable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Brings a pipeline up on this node and down again: waits for its input topics, prepares the output
 * topic, loads dimensions, then hands the partitions to a {@link StreamThread}. Startup runs on its own
 * thread so a node with several pipelines (or a topic that appears later) never blocks.
 *
 * <p>Standalone ({@link #start()}) it owns every partition. In cluster mode ({@link #startClustered}) it
 * owns none until {@link #own} names some, and may {@link #warm} tasks owned elsewhere; it reaches
 * {@code RUNNING} as soon as dimensions are ready and the stream thread runs, with or without tasks.
 *
 * <p>Its meters ({@link PipelineMeters}) are registered in {@code settings.meterRegistry()} when it is created
 * and removed when it closes.
 *
 * <p>Thread-safe: state is volatile; start/close are synchronized.
 */
public final class PipelineRunner
{
    private static final Logger log = LoggerFactory.getLogger(PipelineRunner.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);
    /** Retries while Kafka or the schema registry does not answer yet. */
    private static final Backoff UNAVAILABLE_BACKOFF = new Backoff(TOPIC_RETRY, Duration.ofSeconds(30));

    private final CompiledPipeline pipeline;
    private final RuntimeSettings settings;
    private final ClientFactory clients;
    private final PipelineMetrics metrics;
    private final PipelineMeters meters;
    private final OutputObserver observer;
    private final DimensionTable[] dimensions;
    private final Queue<DimensionChange> dimensionChanges = new ConcurrentLinkedQueue<>();
    private volatile State state = State.CREATED;
    private volatile DimensionBootstrap bootstrap = DimensionBootstrap.NONE;
    private volatile boolean closing;
    private Thread supervisor;
    private Thread loaderThread;
    private Thread streamThreadRunner;
    private DimensionLoader loader;
    private StreamThread streamThread;
    private KafkaProducer<byte[], byte[]> dimensionDeadLetters;
    private final Optional<SchemaRegistryClient> registry;
    private PipelineFormats formats;
    private final TaskOwnership ownership = new TaskOwnership();
    private final TaskClaims claims = new TaskClaims();
    private final CheckpointRequests checkpointRequests = new CheckpointRequests();
    private final PauseRequest pause = new PauseRequest();
    private final TaskWarmer warmer;
    private final CheckpointAgeLimit checkpointAgeLimit = new CheckpointAgeLimit();
    private volatile boolean ownsAll;
    private volatile OptionalInt partitionCount = OptionalInt.empty();
    private volatile boolean dimensionsLoaded;

    public PipelineRunner(CompiledPipeline pipeline, RuntimeSettings settings)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clients = new ClientFactory(settings);
        this.metrics = new PipelineMetrics(pipeline.sources());
        this.registry = settings.schemaRegistry().map(SchemaRegistryClient::connect);
        List<SourcePlan> sources = pipeline.plan().sources();
        this.dimensions = new DimensionTable[sources.size()];
        for (SourcePlan source : sources) {
            if (pipeline.roleOf(source) == SourceRole.DIMENSION) {
                dimensions[source.index()] = StateFactory.newDimensionTable();
            }
        }
        this.meters = PipelineMeters.register(settings.meterRegistry(), pipeline, metrics, this::state, dimensions);
        this.observer = DeclaredMetrics.register(pipeline, settings.meterRegistry());
        this.warmer = new TaskWarmer(pipeline, settings, clients, claims, checkpointAgeLimit);
    }

    public CompiledPipeline pipeline()
    {
        return pipeline;
    }

    public PipelineMetrics metrics()
    {
        return metrics;
    }

    public State state()
    {
        return state;
    }

    /** Starts standalone: owns every partition. */
    public synchronized void start()
    {
        ownsAll = true;
        launch();
    }

    /**
     * Starts in cluster mode: same bring-up, dimensions from {@code bootstrap}'s snapshot when it has one,
     * but no task opens until {@link #own} names it.
     */
    public synchronized void startClustered(DimensionBootstrap bootstrap)
    {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
        launch();
    }

    private void launch()
    {
        if (supervisor != null) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " was already started");
        }
        supervisor = new Thread(this::bringUp, "kaflowsql-" + pipeline.name() + "-startup");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private void bringUp()
    {
        try (Admin admin = clients.admin()) {
            state = State.WAITING_FOR_TOPICS;
            OptionalInt prepared = prepareTopicsRetrying(admin);
            if (prepared.isEmpty()) {
                return;
            }
            int partitions = prepared.getAsInt();
            partitionCount = OptionalInt.of(partitions);
            if (ownsAll) {
                ownership.request(IntStream.range(0, partitions).boxed().collect(Collectors.toSet()));
            }
            formats = prepareFormats();
            if (formats == null) {
                return;
            }
            state = State.LOADING_DIMENSIONS;
            loadDimensions();
            dimensionsLoaded = !closing;
            startStreaming(partitions);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException e) {
            state = State.FAILED;
            log.error("Pipeline {} failed to start: {}", pipeline.name(), e.getMessage(), e);
        }
    }

    /**
     * Waits for the input topics, then creates the output, changelog and dead-letter topics as needed. A broker that
     * does not answer in time (a busy or restarting broker) is retried with backoff rather than failing the pipeline
     * for good; only a failure Kafka calls permanent (authorization, bad configuration) fails it.
     *
     * @return the driving topic's partition count; empty when the pipeline closed meanwhile
     */
    private OptionalInt prepareTopicsRetrying(Admin admin)
            throws InterruptedException
    {
        Duration backoff = UNAVAILABLE_BACKOFF.first();
        while (!closing) {
            try {
                return prepareTopics(admin);
            }
            catch (IllegalStateException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
                log.warn("Pipeline {}: {}; retrying in {} s", pipeline.name(), e.getMessage(), backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = UNAVAILABLE_BACKOFF.after(backoff);
            }
        }
        return OptionalInt.empty();
    }

    private OptionalInt prepareTopics(Admin admin)
            throws InterruptedException
    {
        List<String> missing;
        List<String> reported = List.of();
        while (!(missing = TopicLayout.missingInputs(admin, pipeline)).isEmpty()) {
            if (!missing.equals(reported)) {
                log.info("Pipeline {} waits for topics {} to exist (checking every {} s)", pipeline.name(), missing, TOPIC_RETRY.toSeconds());
                reported = missing;
            }
            if (closing) {
                return OptionalInt.empty();
            }
            Thread.sleep(TOPIC_RETRY.toMillis());
        }
        int partitions = TopicLayout.partitionCount(admin, pipeline);
        TopicLayout.ensureOutputTopic(admin, pipeline.definition().output().topic(), partitions);
        checkpointAgeLimit.deleteRetention(TopicLayout.ensureChangelogTopic(admin, TopicLayout.changelogTopic(settings.clusterName(), pipeline), partitions));
        TopicLayout.ensureDeadLetterTopic(admin, TopicLayout.deadLetterTopic(pipeline), partitions);
        return OptionalInt.of(partitions);
    }

    /**
     * Registers the Avro output schema (when the output is Avro) and makes the decoders. Waits while the
     * registry is unreachable, like for missing topics; a refused schema fails the pipeline. Null when closed.
     */
    private PipelineFormats prepareFormats()
            throws InterruptedException
    {
        Duration backoff = UNAVAILABLE_BACKOFF.first();
        while (!closing) {
            try {
                PipelineFormats prepared = PipelineFormats.prepare(pipeline, registry);
                prepared.outputSchemaId().ifPresent(id -> log.info("Pipeline {} writes Avro with schema id {} (subject {})",
                        pipeline.name(), id, AvroOutputRegistration.subjectOf(pipeline)));
                return prepared;
            }
            catch (SchemaRegistryException e) {
                if (!e.isUnavailable()) {
                    throw e;
                }
                log.warn("Pipeline {} waits for the schema registry ({}); retrying in {} s", pipeline.name(), e.getMessage(), backoff.toSeconds());
                Thread.sleep(backoff.toMillis());
                backoff = UNAVAILABLE_BACKOFF.after(backoff);
            }
        }
        return null;
    }

    private void loadDimensions()
            throws InterruptedException
    {
        if (pipeline.dimensionTopics().isEmpty()) {
            return;
        }
        Path snapshotDirectory = settings.stateDir().resolve(pipeline.name()).resolve("dimension-snapshots");
        Optional<Path> snapshot = fetchDimensionSnapshot(snapshotDirectory);
        try {
            boolean smart = pipeline.definition().emission().isSmart();
            loader = new DimensionLoader(pipeline, clients.dimensionConsumer(settings.consumerGroup() + "-" + pipeline.name() + "-dimensions"),
                    dimensions, metrics, meters.dimensionLag(), change -> {
                        if (smart && (state == State.RUNNING || state == State.RESTORING_STATE)) {
                            dimensionChanges.add(change);
                        }
                    }, this::deadLetterDimension, formats.inputs(), snapshot);
            synchronized (this) {
                if (closing) {
                    return;
                }
                loaderThread = new Thread(loader, "kaflowsql-" + pipeline.name() + "-dimensions");
                loaderThread.setDaemon(true);
                loaderThread.start();
            }
            while (!loader.awaitReady(Duration.ofSeconds(10))) {
                log.info("Pipeline {} loading dimensions {}...", pipeline.name(), pipeline.dimensionTopics());
            }
        }
        finally {
            // a fetched snapshot is loaded once the loader is ready (or failed): its disk space is not needed any more
            snapshot.filter(file -> file.toAbsolutePath().startsWith(snapshotDirectory.toAbsolutePath())).ifPresent(PipelineRunner::deleteQuietly);
        }
    }

    /** The peer snapshot the bootstrap fetched, or empty (also when fetching failed: the topics are read from the beginning). */
    private Optional<Path> fetchDimensionSnapshot(Path directory)
            throws InterruptedException
    {
        DimensionBootstrap source = bootstrap;
        if (source == DimensionBootstrap.NONE) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory);
            Optional<Path> snapshot = source.fetchSnapshot(pipeline.name(), directory);
            if (snapshot.isEmpty()) {
                log.info("Pipeline {}: no peer has a dimension snapshot; reading the dimension topics from the beginning", pipeline.name());
            }
            return snapshot;
        }
        catch (IOException | RuntimeException e) {
            log.warn("Pipeline {}: could not fetch a peer's dimension snapshot ({}); reading the dimension topics from the beginning", pipeline.name(),
                    e.toString());
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            log.warn("Could not delete the loaded dimension snapshot {}: {}", file, e.toString());
        }
    }

    /** Dead letters of dimension records: not part of any task's transaction (dimensions belong to no task). */
    private void deadLetterDimension(DimensionLoader.RejectedRecord rejected)
    {
        KafkaProducer<byte[], byte[]> producer;
        synchronized (this) {
            if (dimensionDeadLetters == null) {
                dimensionDeadLetters = clients.taskProducer(settings.consumerGroup() + "-" + pipeline.name() + "-dimension-dlq", Optional.empty());
            }
            producer = dimensionDeadLetters;
        }
        producer.send(DeadLetters.of(pipeline).record(rejected.input(), rejected.reason(), rejected.detail()),
                (metadata, error) -> {
                    if (error != null) {
                        log.warn("Pipeline {} could not dead-letter dimension record {}: {}", pipeline.name(), rejected.input(), error.toString());
                    }
                });
    }

    private synchronized void startStreaming(int partitions)
    {
        if (closing) {
            return;
        }
        state = State.RESTORING_STATE;
        streamThread = new StreamThread(pipeline, settings, clients, dimensions, metrics, formats, meters, observer, dimensionChanges, partitions, ownership, claims, checkpointRequests, pause, checkpointAgeLimit, () -> {
            state = State.RUNNING;
            log.info("Pipeline {} is running", pipeline.name());
        });
        streamThreadRunner = new Thread(() -> {
            try {
                streamThread.run();
                state = State.STOPPED;
            }
            catch (RuntimeException e) {
                state = State.FAILED;
                log.error("Pipeline {} stopped on an error: {}", pipeline.name(), e.getMessage(), e);
            }
        }, "kaflowsql-" + pipeline.name() + "-stream");
        streamThreadRunner.start();
    }

    /** Partitions of the driving topic, once the input topics exist (and the internal topics were made). */
    public OptionalInt partitionCount()
    {
        return partitionCount;
    }

    /** True once this node's dimension tables caught up (or the pipeline has none): tasks may open. */
    public boolean dimensionsReady()
    {
        return dimensionsLoaded;
    }

    /**
     * Makes this node own exactly the tasks of {@code partitions} (a later call replaces an earlier one; a
     * call before the stream thread runs is kept for it). Returns at once: the stream thread releases and
     * opens tasks between two polls. Also brings back a task this node lost to fencing, if named again.
     */
    public void own(Set<Integer> partitions)
    {
        ownership.request(partitions);
    }

    /** Tasks about to be handed to this node: restored ahead of their hand-over (see {@link TaskOwnership#prepare}). */
    public void prepare(Set<Integer> partitions)
    {
        ownership.prepare(partitions);
    }

    /** Partitions whose tasks are open on this node now. */
    /**
     * Asks the stream thread to commit and checkpoint every open task now. The future completes with the partitions
     * checkpointed (at once and empty while the pipeline is not streaming yet or any more).
     */
    public synchronized java.util.concurrent.CompletableFuture<Set<Integer>> checkpointNow()
    {
        if (streamThread == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(Set.of());
        }
        return checkpointRequests.request();
    }

    /** Stops reading the inputs (tasks stay open and keep committing); see {@link PauseRequest}. Returns at once. */
    public void pause()
    {
        pause.pause();
    }

    /** Reads the inputs again from where the pause left them. Returns at once. */
    public void resume()
    {
        pause.resume();
    }

    /** True once a pause is in force: asked for, and applied by the stream thread (or no stream thread runs). */
    public synchronized boolean isPaused()
    {
        return pause.requested() && (pause.applied() || streamThreadRunner == null || !streamThreadRunner.isAlive());
    }

    /** True while a pause is asked for (it may not be in force yet). */
    public boolean pauseRequested()
    {
        return pause.requested();
    }

    public Set<Integer> ownedPartitions()
    {
        return ownership.owned();
    }

    public Set<Integer> preparedPartitions()
    {
        return ownership.prepared();
    }

    public void onOwnedPartitionsChanged(Runnable listener)
    {
        ownership.addListener(listener);
    }

    /**
     * Brings this node's standby copy of a task owned elsewhere up to date (see {@link TaskWarmer}).
     * Blocking; callable from any thread once {@link #partitionCount()} is known.
     *
     * @return the changelog offset the task's newest local checkpoint reflects
     * @throws IllegalStateException when the task is open here, the topics are not known yet, or the pipeline closed
     */
    public long warm(int partition)
            throws InterruptedException
    {
        OptionalInt partitions = partitionCount;
        if (partitions.isEmpty()) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " does not know its partitions yet; warm tasks once its topics exist");
        }
        if (partition < 0 || partition >= partitions.getAsInt()) {
            throw new IllegalArgumentException("pipeline " + pipeline.name() + " has partitions 0.." + (partitions.getAsInt() - 1) + ", not " + partition);
        }
        if (closing) {
            throw new IllegalStateException("pipeline " + pipeline.name() + " is closing");
        }
        return warmer.warm(partition);
    }

    public io.kaflowsql.engine.api.runtime.TaskStateDirectory taskState(int partition)
    {
        return new io.kaflowsql.engine.api.runtime.TaskStateDirectory(StreamThread.taskDir(settings.stateDir(), pipeline.name(), partition),
                settings.checkpoints().keep());
    }

    /**
     * Writes a snapshot of the dimension tables and the offsets they reflect (on the loader thread,
     * between two polls) and waits for it. A pipeline without dimensions writes an empty snapshot.
     *
     * @throws IllegalStateException when the dimensions are not ready or the loader stopped
     */
    public long writeDimensionSnapshot(Path file)
            throws InterruptedException
    {
        requireNonNull(file, "file is null");
        if (pipeline.dimensionTopics().isEmpty()) {
            try {
                return new DimensionSnapshots(pipeline, dimensions).write(file, java.util.Map.of());
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException("could not write the dimension snapshot of " + pipeline.name() + " to " + file, e);
            }
        }
        DimensionLoader current;
        synchronized (this) {
            current = loaderThread == null ? null : loader;
        }
        if (current == null) {
            throw new IllegalStateException("dimensions of pipeline " + pipeline.name() + " are not loaded yet");
        }
        return current.writeSnapshot(file);
    }

    /** Where the next {@link #start} gets a head start on the dimensions (cluster mode: a peer's snapshot). Call before starting. */
    public void useDimensionBootstrap(DimensionBootstrap bootstrap)
    {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
    }

    /** How the dimensions were bootstrapped and how many records were read from the topics. */
    public DimensionBootstrapStats dimensionBootstrap()
    {
        DimensionLoader current;
        synchronized (this) {
            current = loaderThread == null ? null : loader;
        }
        return current == null ? DimensionBootstrapStats.PENDING : current.stats();
    }

    /** Stops processing, commits, closes state. Idempotent. */
    public void close()
    {
        Thread stream;
        Thread dimensionThread;
        synchronized (this) {
            closing = true;
            stream = streamThreadRunner;
            dimensionThread = loaderThread;
        }
        warmer.stop();
        if (streamThread != null) {
            streamThread.stop();
        }
        join(stream);
        if (loader != null) {
            loader.stop();
        }
        join(dimensionThread);
        synchronized (this) {
            if (dimensionDeadLetters != null) {
                dimensionDeadLetters.close(Duration.ofSeconds(5));
            }
        }
        if (supervisor != null) {
            supervisor.interrupt();
        }
        meters.close(); // before the tables close: no gauge reads a closed table
        DeclaredMetrics.unregister(pipeline, settings.meterRegistry());
        registry.ifPresent(SchemaRegistryClient::close);
        for (DimensionTable table : dimensions) {
            if (table != null) {
                table.close();
            }
        }
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
    }

    private static void join(Thread thread)
    {
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
