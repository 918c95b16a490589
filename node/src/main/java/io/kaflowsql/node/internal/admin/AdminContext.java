package io.kaflowsql.node.internal.admin;

import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.node.internal.catalog.PipelineSet;
import io.kaflowsql.node.internal.cluster.ClusterMembership;
import io.micrometer.core.instrument.Gauge;
import io.kaflowsql.protocol.FormatVersions;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What the admin API reads and drives on this node: its pipelines (they change as the catalog does), its cluster membership (absent on a standalone
 * node, and until the node joined) and its meters.
 *
 * @param address this node's admin address ({@code host:port}) as peers reach it
 * @param version build version of this node
 * @param formats the format versions this node reads and writes now
 */
record AdminContext(String nodeId, String clusterName, Supplier<String> address, String version, PipelineSet pipelines,
        Supplier<Optional<ClusterMembership>> membership, MeterRegistry registry, FormatVersions formats)
{
    static final String CONSUMER_LAG = "kaflowsql.consumer.lag";
    static final String HELD_RECORDS = "kaflowsql.held.records";

    AdminContext
    {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(address, "address is null");
        requireNonNull(version, "version is null");
        requireNonNull(pipelines, "pipelines is null");
        requireNonNull(membership, "membership is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(formats, "formats is null");
    }

    /** The runtimes on this node now (file and catalog pipelines), ordered by name. */
    List<PipelineRuntime> runtimes()
    {
        return pipelines.runtimes();
    }

    Optional<PipelineRuntime> runtime(String pipeline)
    {
        return pipelines.runtime(pipeline);
    }

    /** Sum of a per-task gauge of this node ({@code pipeline} null: every pipeline); gauges not sampled yet count 0. */
    long gaugeSum(String name, String pipeline)
    {
        var search = registry.find(name);
        if (pipeline != null) {
            search = search.tag("pipeline", pipeline);
        }
        double total = 0;
        for (Gauge gauge : search.gauges()) {
            double value = gauge.value();
            if (!Double.isNaN(value) && value > 0) {
                total += value;
            }
        }
        return Math.round(total);
    }
}
