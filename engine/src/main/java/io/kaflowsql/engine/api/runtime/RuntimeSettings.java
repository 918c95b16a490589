package io.kaflowsql.engine.api.runtime;

import io.kaflowsql.protocol.FormatVersions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a pipeline runtime needs from the node.
 *
 * @param clientProperties passed to every Kafka client (security, timeouts...), after our defaults
 * @param consumerGroup prefix of the consumer group of each pipeline ({@code <group>-<pipeline>})
 * @param stateDir root of the task stores ({@code <stateDir>/<pipeline>/task-<partition>})
 * @param clusterName prefix of transactional ids ({@code <cluster>-<pipeline>-<partition>}) and internal topics
 * @param guarantee exactly-once (transactions) or at-least-once
 * @param commitInterval how often a task commits: outputs, changelog and input offsets (one transaction each
 *         under exactly-once)
 * @param checkpoints how often task state is checkpointed and how many checkpoints are kept
 * @param clock wall clock, used only for pacing (commit interval, progress logs), never for data time
 * @param schemaRegistry where Avro schemas are registered and looked up; empty = no registry (JSON only,
 *         an Avro pipeline fails to start with a message saying so)
 * @param meterRegistry where the pipeline's meters are registered (the node serves it on {@code /metrics})
 * @param formats the versions the node's checkpoints and changelog records are written in (negotiated with the
 *         cluster) and read in; the constructor without it uses {@link FormatVersions#forThisBuild()}
 */
public record RuntimeSettings(
        String bootstrapServers,
        Map<String, String> clientProperties,
        String consumerGroup,
        String clusterName,
        Path stateDir,
        ProcessingGuarantee guarantee,
        Duration commitInterval,
        CheckpointSettings checkpoints,
        Clock clock,
        Optional<SchemaRegistrySettings> schemaRegistry,
        MeterRegistry meterRegistry,
        FormatVersions formats)
{
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final String DEFAULT_CLUSTER_NAME = "kaflowsql";

    public RuntimeSettings
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        clientProperties = new TreeMap<>(requireNonNull(clientProperties, "clientProperties is null"));
        requireNonNull(consumerGroup, "consumerGroup is null");
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(guarantee, "guarantee is null");
        requireNonNull(commitInterval, "commitInterval is null");
        requireNonNull(checkpoints, "checkpoints is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(schemaRegistry, "schemaRegistry is null");
        requireNonNull(meterRegistry, "meterRegistry is null");
        requireNonNull(formats, "formats is null");
        if (commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be positive: " + commitInterval);
        }
    }

    public RuntimeSettings(String bootstrapServers, Map<String, String> clientProperties, String consumerGroup, String clusterName, Path stateDir,
            ProcessingGuarantee guarantee, Duration commitInterval, CheckpointSettings checkpoints, Clock clock,
            Optional<SchemaRegistrySettings> schemaRegistry, MeterRegistry meterRegistry)
    {
        this(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, guarantee, commitInterval, checkpoints, clock, schemaRegistry,
                meterRegistry, FormatVersions.forThisBuild());
    }

    /** Defaults everywhere: exactly-once, 100 ms commits, checkpoints every 30 s. */
    public static RuntimeSettings of(String bootstrapServers, Path stateDir)
    {
        return new RuntimeSettings(bootstrapServers, Map.of(), "kaflowsql", DEFAULT_CLUSTER_NAME, stateDir, ProcessingGuarantee.EXACTLY_ONCE,
                DEFAULT_COMMIT_INTERVAL, CheckpointSettings.DEFAULTS, Clock.systemUTC(), Optional.empty(), new SimpleMeterRegistry());
    }

    public RuntimeSettings withGuarantee(ProcessingGuarantee newGuarantee)
    {
        return new RuntimeSettings(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, newGuarantee, commitInterval, checkpoints, clock, schemaRegistry, meterRegistry, formats);
    }

    public RuntimeSettings withCheckpoints(CheckpointSettings newCheckpoints)
    {
        return new RuntimeSettings(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, guarantee, commitInterval, newCheckpoints, clock, schemaRegistry, meterRegistry, formats);
    }

    public RuntimeSettings withSchemaRegistry(Optional<SchemaRegistrySettings> newSchemaRegistry)
    {
        return new RuntimeSettings(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, guarantee, commitInterval, checkpoints, clock,
                newSchemaRegistry, meterRegistry, formats);
    }

    public RuntimeSettings withMeterRegistry(MeterRegistry newMeterRegistry)
    {
        return new RuntimeSettings(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, guarantee, commitInterval, checkpoints, clock,
                schemaRegistry, newMeterRegistry, formats);
    }

    public RuntimeSettings withFormats(FormatVersions newFormats)
    {
        return new RuntimeSettings(bootstrapServers, clientProperties, consumerGroup, clusterName, stateDir, guarantee, commitInterval, checkpoints, clock,
                schemaRegistry, meterRegistry, newFormats);
    }
}
