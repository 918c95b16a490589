package io.kaflowsql.node.internal.runtime;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's meter registry: Prometheus, with the JVM and process meters bound (memory, GC, threads,
 * class loading, CPU, uptime). Pipelines register their meters in it; {@code /metrics} serves it. One
 * per node, closed with the node (which also stops the GC listener).
 *
 * <p>Thread-safe.
 */
final class NodeMeters
        implements AutoCloseable
{
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    NodeMeters()
    {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    PrometheusMeterRegistry registry()
    {
        return registry;
    }

    @Override
    public void close()
    {
        gc.close();
        registry.close();
    }
}
