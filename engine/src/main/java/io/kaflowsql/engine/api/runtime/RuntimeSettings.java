package io.kaflowsql.engine.api.runtime;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a pipeline runtime needs from the node.
 *
 * @param clientProperties passed to every Kafka client (security, timeouts...), after our defaults
 * @param consumerGroup prefix of the consumer group of each pipeline ({@code <group>-<pipeline>})
 * @param stateDir root of the task stores ({@code <stateDir>/<pipeline>/task-<partition>})
 * @param commitInterval how often outputs are flushed and input offsets committed
 * @param clock wall clock, used only for pacing (commit interval, progress logs), never for data time
 */
public record RuntimeSettings(
        String bootstrapServers,
        Map<String, String> clientProperties,
        String consumerGroup,
        Path stateDir,
        Duration commitInterval,
        Clock clock)
{
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);

    public RuntimeSettings
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        clientProperties = new TreeMap<>(requireNonNull(clientProperties, "clientProperties is null"));
        requireNonNull(consumerGroup, "consumerGroup is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(commitInterval, "commitInterval is null");
        requireNonNull(clock, "clock is null");
    }

    public static RuntimeSettings of(String bootstrapServers, Path stateDir)
    {
        return new RuntimeSettings(bootstrapServers, Map.of(), "kaflowsql", stateDir, DEFAULT_COMMIT_INTERVAL, Clock.systemUTC());
    }
}
