package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings given on the command line ({@code --bootstrap-servers}, {@code --state-dir}, {@code --http-port},
 * {@code --pipelines}, {@code --processing-guarantee}, {@code --node-id}, {@code --cluster-host},
 * {@code --cluster-port}, {@code --cluster-members}, {@code --admin-port}). Each one, when present, wins over
 * the config file, the environment and the defaults. Immutable: every {@code with...} returns a copy.
 */
public final class ConfigOverrides
{
    private final Map<String, Object> values;

    private ConfigOverrides(Map<String, Object> values)
    {
        this.values = Map.copyOf(values);
    }

    public static ConfigOverrides none()
    {
        return new ConfigOverrides(Map.of());
    }

    public ConfigOverrides withBootstrapServers(String value)
    {
        return with("kafka.bootstrap-servers", value);
    }

    public ConfigOverrides withStateDir(Path value)
    {
        return with("state.dir", value);
    }

    public ConfigOverrides withHttpPort(int value)
    {
        return with("http.port", value);
    }

    public ConfigOverrides withPipelinesDir(Path value)
    {
        return with("pipelines.dir", value);
    }

    public ConfigOverrides withGuarantee(ProcessingGuarantee value)
    {
        return with("processing.guarantee", value);
    }

    public ConfigOverrides withNodeId(String value)
    {
        return with("cluster.node-id", value);
    }

    public ConfigOverrides withClusterHost(String value)
    {
        return with("cluster.host", value);
    }

    public ConfigOverrides withClusterPort(int value)
    {
        return with("cluster.port", value);
    }

    /** {@code host:port} of each member to join. */
    public ConfigOverrides withClusterMembers(List<String> value)
    {
        return with("cluster.members", List.copyOf(value));
    }

    public ConfigOverrides withAdminPort(int value)
    {
        return with("admin.port", value);
    }

    public Optional<String> bootstrapServers()
    {
        return get("kafka.bootstrap-servers", String.class);
    }

    public Optional<Path> stateDir()
    {
        return get("state.dir", Path.class);
    }

    public Optional<Integer> httpPort()
    {
        return get("http.port", Integer.class);
    }

    public Optional<Path> pipelinesDir()
    {
        return get("pipelines.dir", Path.class);
    }

    public Optional<ProcessingGuarantee> guarantee()
    {
        return get("processing.guarantee", ProcessingGuarantee.class);
    }

    public Optional<String> nodeId()
    {
        return get("cluster.node-id", String.class);
    }

    public Optional<String> clusterHost()
    {
        return get("cluster.host", String.class);
    }

    public Optional<Integer> clusterPort()
    {
        return get("cluster.port", Integer.class);
    }

    @SuppressWarnings("unchecked")
    public Optional<List<String>> clusterMembers()
    {
        return Optional.ofNullable((List<String>) values.get("cluster.members"));
    }

    public Optional<Integer> adminPort()
    {
        return get("admin.port", Integer.class);
    }

    private ConfigOverrides with(String key, Object value)
    {
        Map<String, Object> copy = new HashMap<>(values);
        copy.put(key, requireNonNull(value, key + " is null"));
        return new ConfigOverrides(copy);
    }

    private <T> Optional<T> get(String key, Class<T> type)
    {
        return Optional.ofNullable(values.get(key)).map(type::cast);
    }
}
