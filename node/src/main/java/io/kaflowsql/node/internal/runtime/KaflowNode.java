package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.admin.AdminServer;
import io.kaflowsql.node.internal.catalog.CatalogLog;
import io.kaflowsql.node.internal.catalog.KafkaPipelineCatalog;
import io.kaflowsql.node.internal.catalog.PipelineSet;
import io.kaflowsql.node.internal.http.DashboardEndpoint;
import io.kaflowsql.node.internal.http.MetricsEndpoint;
import io.kaflowsql.node.internal.http.NodeHttpServer;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.SupportedVersions;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kaflowsql.node.internal.cluster.ClusterMembership;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One KaflowSQL node: runs its pipelines against Kafka and serves {@code /health}, {@code /ready},
 * {@code /metrics} (Prometheus: every pipeline's meters plus JVM and process meters; see docs/reference/metrics.md) and the live
 * dashboard at {@code /} (see docs/dashboard.md), and the
 * admin API on {@code admin.port} (see docs/admin.md).
 * Runs the pipelines of its files and those of the durable pipeline catalog ({@link CatalogLog}, followed by
 * {@link PipelineSet}); it is ready only once it read the catalog.
 * Logs one line when every pipeline is running; {@link #close()} commits and closes all state (the
 * SIGTERM path).
 *
 * <p>Thread-safe.
 */
public final class KaflowNode
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KaflowNode.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** Logged as the last line of a clean stop; whoever runs a node process can look for it (the cluster demo does). */
    public static final String STOPPED_MESSAGE = "KaflowSQL node stopped: state committed and closed";

    private final PipelineSet pipelines;
    private final CatalogLog catalog;
    private final NodeHttpServer http;
    private final NodeMeters meters;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread readinessWatcher;
    private final AtomicReference<ClusterMembership> membership;
    private final AdminServer admin;

    private KaflowNode(PipelineSet pipelines, CatalogLog catalog, NodeHttpServer http, AdminServer admin, NodeMeters meters,
            AtomicReference<ClusterMembership> membership)
    {
        this.pipelines = pipelines;
        this.catalog = catalog;
        this.http = http;
        this.admin = admin;
        this.meters = meters;
        this.membership = membership;
        this.readinessWatcher = new Thread(this::watchReadiness, "kaflowsql-readiness");
        this.readinessWatcher.setDaemon(true);
    }

    public static KaflowNode start(NodeConfig config, List<CompiledPipeline> pipelines, Clock clock)
    {
        requireNonNull(config, "config is null");
        NodeMeters meters = new NodeMeters();
        // one set of versions for every writer on this node; clustered, negotiated with the members once it joined
        FormatVersions formats = config.cluster().clustered()
                ? FormatVersions.forThisBuild()
                : FormatVersions.standalone(SupportedVersions.thisBuild());
        RuntimeSettings settings = new RuntimeSettings(config.kafka().bootstrapServers(), config.kafka().clientProperties(),
                config.kafka().consumerGroup(), config.cluster().name(), config.state().dir(), config.processing().guarantee(),
                config.processing().commitInterval(), config.checkpoint(), clock, config.schemaRegistry().client(), meters.registry(), formats);
        AtomicReference<ClusterMembership> membership = new AtomicReference<>();
        PipelineSet pipelineSet = null;
        CatalogLog catalog = null;
        NodeHttpServer http = null;
        AdminServer admin = null;
        try {
            pipelineSet = new PipelineSet(pipelines, fileOrigin(config), pipeline -> new PipelineRuntime(pipeline, settings));
            catalog = CatalogLog.start(config.kafka().bootstrapServers(), config.kafka().clientProperties(), config.cluster().name(), pipelineSet,
                    formats);
            PipelineSet set = pipelineSet;
            CatalogLog catalogLog = catalog;
            http = NodeHttpServer.start(config.http().port(),
                    () -> catalogLog.caughtUp() && isReady(set.runtimes(), membership.get()),
                    () -> describe(set.runtimes(), membership.get()));
            http.addExactHandler(MetricsEndpoint.PATH, new MetricsEndpoint(meters.registry()));
            admin = AdminServer.start(config, set, () -> Optional.ofNullable(membership.get()), meters.registry(),
                    ClusterMembership.advertisedHost(config.cluster().host()), version(), new KafkaPipelineCatalog(catalogLog, set, clock), clock,
                    formats);
            DashboardEndpoint.register(http, admin.dashboard()::view, System::nanoTime);
            if (config.cluster().clustered()) {
                membership.set(ClusterMembership.start(config, set, clock, meters.registry(), http, admin.port(), admin.peerCredentials(),
                        admin.peerInterceptors(), formats));
            }
            else {
                set.startAll(PipelineRuntime::start, () -> {});
            }
        }
        catch (RuntimeException e) {
            if (catalog != null) {
                catalog.close();
            }
            if (pipelineSet != null) {
                pipelineSet.close();
            }
            if (admin != null) {
                admin.close();
            }
            if (http != null) {
                http.close();
            }
            meters.close();
            throw e;
        }
        KaflowNode node = new KaflowNode(pipelineSet, catalog, http, admin, meters, membership);
        node.readinessWatcher.start();
        return node;
    }

    private static String fileOrigin(NodeConfig config)
    {
        return config.pipelines().dir().map(dir -> "pipelines.dir " + dir).orElse("the node's pipeline files");
    }

    /**
     * Standalone: every pipeline runs. Clustered: the node is READY (its dimensions are loaded; it takes
     * tasks) — a node may be ready and own no task, e.g. when the cluster has more nodes than tasks.
     */
    private static boolean isReady(List<PipelineRuntime> runtimes, ClusterMembership membership)
    {
        return membership == null ? runtimes.stream().allMatch(PipelineRuntime::isReady) : membership.isReady();
    }

    private static String describe(List<PipelineRuntime> runtimes, ClusterMembership membership)
    {
        String pipelines = runtimes.stream().map(runtime -> runtime.pipeline().name() + ": " + runtime.state()).collect(Collectors.joining("\n"));
        return membership == null ? pipelines : "node: " + membership.lifecycle() + "\ntasks: " + membership.ownedTasks() + "\n" + pipelines;
    }

    /** The cluster membership, when this node runs clustered. */
    public Optional<ClusterMembership> membership()
    {
        return Optional.ofNullable(membership.get());
    }

    /** The pipelines running on this node now (file and catalog pipelines), ordered by name. */
    public List<PipelineRuntime> runtimes()
    {
        return pipelines.runtimes();
    }

    /** The durable pipeline catalog this node follows. */
    public CatalogLog catalog()
    {
        return catalog;
    }

    /** The registry {@code /metrics} serves. */
    public MeterRegistry meterRegistry()
    {
        return meters.registry();
    }

    public int httpPort()
    {
        return http.port();
    }

    /** Port of the admin API (and state transfer): {@code admin.port}, or the free one picked for 0. */
    public int adminPort()
    {
        return admin.port();
    }

    /** The build version (from the jar manifest), or "development". */
    public static String version()
    {
        String version = KaflowNode.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    public boolean isReady()
    {
        return ready.getCount() == 0;
    }

    private boolean ready()
    {
        return catalog.caughtUp() && isReady(pipelines.runtimes(), membership.get());
    }

    /** Waits until every pipeline runs; false on timeout. */
    public boolean awaitReady(long timeout, TimeUnit unit)
            throws InterruptedException
    {
        return ready.await(timeout, unit);
    }

    private void watchReadiness()
    {
        try {
            while (!ready()) {
                if (pipelines.runtimes().stream().anyMatch(runtime -> runtime.state() == PipelineRuntime.State.FAILED)) {
                    log.error("KaflowSQL node not ready: a pipeline failed ({})", states());
                    return;
                }
                Thread.sleep(100);
            }
            ready.countDown();
            log.info("KaflowSQL node ready: {} pipeline(s) running ({}), HTTP on port {}", pipelines.runtimes().size(), states(), http.port());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Planned moves of this node's tasks to the others, then leaving the cluster (which releases what is left). */
    private static void leave(ClusterMembership member)
    {
        try {
            if (!member.drain(DRAIN_TIMEOUT)) {
                log.warn("Node still owns {} after draining for {} s; leaving anyway (the new owners restore and fence)", member.ownedTasks(),
                        DRAIN_TIMEOUT.toSeconds());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        member.leave();
    }

    private String states()
    {
        return pipelines.runtimes().stream().map(runtime -> runtime.pipeline().name() + "=" + runtime.state()).collect(Collectors.joining(", "));
    }

    @Override
    public void close()
    {
        readinessWatcher.interrupt();
        ClusterMembership member = membership.get();
        if (member != null) {
            leave(member);
        }
        catalog.close(); // no catalog change starts or stops a runtime any more
        pipelines.close();
        if (member != null) {
            member.close();
        }
        admin.close();
        http.close();
        meters.close();
        log.info(STOPPED_MESSAGE);
    }
}
