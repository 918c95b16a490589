package io.kaflowsql.node.internal.demo;

import io.kaflowsql.engine.api.OutputFormat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@code kaflowsql demo} runs: data sizes, click rate, the pipeline and where things live.
 *
 * @param duration how long to run; empty = until Ctrl-C
 * @param dataDir broker logs and task state; empty = a temporary directory removed at exit
 * @param schemaRegistryPort where the embedded schema registry listens with {@code --format avro} (0 = any free port)
 * @param warmup latency recorded before this much time has passed is discarded from the final report
 * @param nodes 1 = the node runs in this process; more = that many node processes form a cluster
 * @param bootstrapServers an existing Kafka cluster to run against; empty = a broker embedded in this process
 */
public record DemoSettings(
        int users,
        int products,
        double eventsPerSecond,
        int partitions,
        OutputFormat format,
        String pipeline,
        Optional<Duration> duration,
        int httpPort,
        int schemaRegistryPort,
        Optional<Path> dataDir,
        int samples,
        Duration summaryInterval,
        Duration warmup,
        int nodes,
        Optional<String> bootstrapServers)
{
    public DemoSettings
    {
        requireNonNull(format, "format is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(summaryInterval, "summaryInterval is null");
        requireNonNull(warmup, "warmup is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        if (nodes > 1 && bootstrapServers.isPresent()) {
            throw new IllegalArgumentException("a cluster of nodes runs against the embedded broker only");
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1: " + nodes);
        }
        if (users < 1 || products < 1 || partitions < 1 || eventsPerSecond <= 0) {
            throw new IllegalArgumentException("users, products, partitions and rate must be positive");
        }
    }

    public DemoSettings(int users, int products, double eventsPerSecond, int partitions, OutputFormat format, String pipeline, Optional<Duration> duration,
            int httpPort, int schemaRegistryPort, Optional<Path> dataDir, int samples, Duration summaryInterval, Duration warmup)
    {
        this(users, products, eventsPerSecond, partitions, format, pipeline, duration, httpPort, schemaRegistryPort, dataDir, samples, summaryInterval,
                warmup, 1);
    }

    public DemoSettings(int users, int products, double eventsPerSecond, int partitions, OutputFormat format, String pipeline, Optional<Duration> duration,
            int httpPort, int schemaRegistryPort, Optional<Path> dataDir, int samples, Duration summaryInterval, Duration warmup, int nodes)
    {
        this(users, products, eventsPerSecond, partitions, format, pipeline, duration, httpPort, schemaRegistryPort, dataDir, samples, summaryInterval,
                warmup, nodes, Optional.empty());
    }
}
