package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.internal.http.MetricsEndpoint;
import io.kaflowsql.node.internal.http.NodeHttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One KaflowSQL node: runs its pipelines against Kafka and serves {@code /health}, {@code /ready} and
 * {@code /metrics} (Prometheus: every pipeline's meters plus JVM and process meters; see docs/metrics.md).
 * Logs one line when every pipeline is running; {@link #close()} commits and closes all state (the
 * SIGTERM path).
 *
 * <p>Thread-safe.
 */
public final class KaflowNode
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KaflowNode.class);

    private final List<PipelineRuntime> runtimes;
    private final NodeHttpServer http;
    private final NodeMeters meters;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread readinessWatcher;

    private KaflowNode(List<PipelineRuntime> runtimes, NodeHttpServer http, NodeMeters meters)
    {
        this.runtimes = List.copyOf(runtimes);
        this.http = http;
        this.meters = meters;
        this.readinessWatcher = new Thread(this::watchReadiness, "kaflowsql-readiness");
        this.readinessWatcher.setDaemon(true);
    }

    public static KaflowNode start(NodeConfig config, List<CompiledPipeline> pipelines, Clock clock)
    {
        requireNonNull(config, "config is null");
        NodeMeters meters = new NodeMeters();
        RuntimeSettings settings = new RuntimeSettings(config.kafka().bootstrapServers(), config.kafka().clientProperties(),
                config.kafka().consumerGroup(), config.cluster().name(), config.state().dir(), config.processing().guarantee(),
                config.processing().commitInterval(), config.checkpoint(), clock, config.schemaRegistry().client(), meters.registry());
        List<PipelineRuntime> runtimes = new ArrayList<>();
        NodeHttpServer http;
        try {
            for (CompiledPipeline pipeline : pipelines) {
                runtimes.add(new PipelineRuntime(pipeline, settings));
            }
            http = NodeHttpServer.start(config.http().port(),
                    () -> runtimes.stream().allMatch(PipelineRuntime::isReady),
                    () -> runtimes.stream().map(runtime -> runtime.pipeline().name() + ": " + runtime.state()).collect(Collectors.joining("\n")));
        }
        catch (RuntimeException e) {
            runtimes.forEach(PipelineRuntime::close);
            meters.close();
            throw e;
        }
        http.addExactHandler(MetricsEndpoint.PATH, new MetricsEndpoint(meters.registry()));
        KaflowNode node = new KaflowNode(runtimes, http, meters);
        runtimes.forEach(PipelineRuntime::start);
        node.readinessWatcher.start();
        return node;
    }

    public List<PipelineRuntime> runtimes()
    {
        return runtimes;
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

    public boolean isReady()
    {
        return ready.getCount() == 0;
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
            while (!runtimes.stream().allMatch(PipelineRuntime::isReady)) {
                if (runtimes.stream().anyMatch(runtime -> runtime.state() == PipelineRuntime.State.FAILED)) {
                    log.error("KaflowSQL node not ready: a pipeline failed ({})", states());
                    return;
                }
                Thread.sleep(100);
            }
            ready.countDown();
            log.info("KaflowSQL node ready: {} pipeline(s) running ({}), HTTP on port {}", runtimes.size(), states(), http.port());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String states()
    {
        return runtimes.stream().map(runtime -> runtime.pipeline().name() + "=" + runtime.state()).collect(Collectors.joining(", "));
    }

    @Override
    public void close()
    {
        readinessWatcher.interrupt();
        runtimes.forEach(PipelineRuntime::close);
        http.close();
        meters.close();
        log.info("KaflowSQL node stopped: state committed and closed");
    }
}
