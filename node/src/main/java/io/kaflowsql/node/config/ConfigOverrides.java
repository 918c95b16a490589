package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings given on the command line ({@code --bootstrap-servers}, {@code --state-dir},
 * {@code --http-port}, {@code --pipelines}, {@code --processing-guarantee}). Each one, when present, wins over the config file,
 * the environment and the defaults.
 */
public record ConfigOverrides(
        Optional<String> bootstrapServers,
        Optional<Path> stateDir,
        Optional<Integer> httpPort,
        Optional<Path> pipelinesDir,
        Optional<ProcessingGuarantee> guarantee)
{
    public ConfigOverrides
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(httpPort, "httpPort is null");
        requireNonNull(pipelinesDir, "pipelinesDir is null");
        requireNonNull(guarantee, "guarantee is null");
    }

    public static ConfigOverrides none()
    {
        return new ConfigOverrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ConfigOverrides withBootstrapServers(String value)
    {
        return new ConfigOverrides(Optional.of(value), stateDir, httpPort, pipelinesDir, guarantee);
    }

    public ConfigOverrides withStateDir(Path value)
    {
        return new ConfigOverrides(bootstrapServers, Optional.of(value), httpPort, pipelinesDir, guarantee);
    }

    public ConfigOverrides withHttpPort(int value)
    {
        return new ConfigOverrides(bootstrapServers, stateDir, Optional.of(value), pipelinesDir, guarantee);
    }

    public ConfigOverrides withPipelinesDir(Path value)
    {
        return new ConfigOverrides(bootstrapServers, stateDir, httpPort, Optional.of(value), guarantee);
    }

    public ConfigOverrides withGuarantee(ProcessingGuarantee value)
    {
        return new ConfigOverrides(bootstrapServers, stateDir, httpPort, pipelinesDir, Optional.of(value));
    }
}
