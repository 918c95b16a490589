package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The configuration of one kaflowsql node, fully resolved (file, environment, command line and
 * defaults already merged by {@link NodeConfigLoader}). Immutable and thread-safe.
 */
public record NodeConfig(
        ClusterSettings cluster,
        KafkaSettings kafka,
        SchemaRegistrySettings schemaRegistry,
        StateSettings state,
        ProcessingSettings processing,
        CheckpointSettings checkpoint,
        HttpSettings http,
        PipelinesSettings pipelines,
        LoggingSettings logging)
{
    public NodeConfig
    {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(kafka, "kafka is null");
        requireNonNull(schemaRegistry, "schemaRegistry is null");
        requireNonNull(state, "state is null");
        requireNonNull(processing, "processing is null");
        requireNonNull(checkpoint, "checkpoint is null");
        requireNonNull(http, "http is null");
        requireNonNull(pipelines, "pipelines is null");
        requireNonNull(logging, "logging is null");
    }

    /** Every setting at its default; pinned by {@code NodeConfigDefaultsTest}. */
    public static NodeConfig defaults()
    {
        return new NodeConfig(
                new ClusterSettings("kaflowsql"),
                new KafkaSettings("localhost:9092", "kaflowsql", Map.of()),
                new SchemaRegistrySettings(Optional.empty()),
                new StateSettings(Path.of("./state")),
                new ProcessingSettings(ProcessingGuarantee.EXACTLY_ONCE, RuntimeSettings.DEFAULT_COMMIT_INTERVAL),
                CheckpointSettings.DEFAULTS,
                new HttpSettings(8080),
                new PipelinesSettings(Optional.empty()),
                new LoggingSettings("INFO"));
    }

    /** {@code cluster:} — the name that nodes of one cluster share. */
    public record ClusterSettings(String name)
    {
        public ClusterSettings
        {
            requireNonNull(name, "name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cluster name is blank");
            }
        }
    }

    /**
     * {@code kafka:} — where the input and output topics live.
     *
     * @param clientProperties extra Kafka client properties ({@code security.protocol}, {@code sasl.*}, ...),
     *         applied to every producer, consumer and admin client; sorted by key so they print stably
     */
    public record KafkaSettings(String bootstrapServers, String consumerGroup, Map<String, String> clientProperties)
    {
        public KafkaSettings
        {
            requireNonNull(bootstrapServers, "bootstrapServers is null");
            requireNonNull(consumerGroup, "consumerGroup is null");
            requireNonNull(clientProperties, "clientProperties is null");
            if (bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers is blank");
            }
            if (consumerGroup.isBlank()) {
                throw new IllegalArgumentException("consumerGroup is blank");
            }
            clientProperties = Collections.unmodifiableMap(new TreeMap<>(clientProperties));
        }
    }

    /**
     * {@code schema-registry:} — Confluent-compatible registry for Avro; empty {@code url} when Avro is not used.
     *
     * @param basicAuthUserInfo {@code user:password} for HTTP basic auth
     * @param trustStore PKCS12/JKS file of the CAs to trust for an {@code https} url (default: the JVM's)
     */
    public record SchemaRegistrySettings(Optional<String> url, Optional<String> basicAuthUserInfo, Optional<Path> trustStore,
            Optional<String> trustStorePassword, Duration requestTimeout)
    {
        public SchemaRegistrySettings
        {
            requireNonNull(url, "url is null");
            requireNonNull(basicAuthUserInfo, "basicAuthUserInfo is null");
            requireNonNull(trustStore, "trustStore is null");
            requireNonNull(trustStorePassword, "trustStorePassword is null");
            requireNonNull(requestTimeout, "requestTimeout is null");
        }

        public SchemaRegistrySettings(Optional<String> url)
        {
            this(url, Optional.empty(), Optional.empty(), Optional.empty(), io.kaflowsql.engine.api.runtime.SchemaRegistrySettings.DEFAULT_REQUEST_TIMEOUT);
        }

        /** What the runtime's registry client takes; empty when no url is configured. */
        public Optional<io.kaflowsql.engine.api.runtime.SchemaRegistrySettings> client()
        {
            return url.map(value -> new io.kaflowsql.engine.api.runtime.SchemaRegistrySettings(java.net.URI.create(value), basicAuthUserInfo,
                    trustStore, trustStorePassword, requestTimeout, io.kaflowsql.engine.api.runtime.SchemaRegistrySettings.DEFAULT_MAX_RETRIES));
        }

        /** Never prints secrets. */
        @Override
        public String toString()
        {
            return "SchemaRegistrySettings[url=" + url.orElse("none") + ", basicAuth=" + (basicAuthUserInfo.isPresent() ? "***" : "none")
                    + ", trustStore=" + trustStore.map(Path::toString).orElse("default") + ", requestTimeout=" + requestTimeout + "]";
        }
    }

    /** {@code state:} — directory of the local RocksDB state and checkpoints. */
    public record StateSettings(Path dir)
    {
        public StateSettings
        {
            requireNonNull(dir, "dir is null");
        }
    }

    /**
     * {@code processing:} — {@code guarantee} ({@code exactly_once} default, or {@code at_least_once}) and
     * {@code commit-interval} (how often each task commits; a transaction each under exactly-once).
     * {@code checkpoint:} ({@code interval}, {@code keep}) is the engine's {@link CheckpointSettings}.
     */
    public record ProcessingSettings(ProcessingGuarantee guarantee, Duration commitInterval)
    {
        public ProcessingSettings
        {
            requireNonNull(guarantee, "guarantee is null");
            requireNonNull(commitInterval, "commitInterval is null");
            if (commitInterval.isNegative() || commitInterval.isZero()) {
                throw new IllegalArgumentException("commit interval must be positive: " + commitInterval);
            }
        }
    }

    /** {@code http:} — port of {@code /health}, {@code /ready} and {@code /metrics}; 0 picks a free port. */
    public record HttpSettings(int port)
    {
        public HttpSettings
        {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
        }
    }

    /** {@code pipelines:} — a directory of pipeline YAML files to deploy at start; empty for none. */
    public record PipelinesSettings(Optional<Path> dir)
    {
        public PipelinesSettings
        {
            requireNonNull(dir, "dir is null");
        }
    }

    /** {@code logging:} — root log level, one of {@link #LEVELS}, upper case. */
    public record LoggingSettings(String level)
    {
        public static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

        public LoggingSettings
        {
            requireNonNull(level, "level is null");
            level = level.toUpperCase(Locale.ROOT);
            if (!LEVELS.contains(level)) {
                throw new IllegalArgumentException("unknown log level: " + level);
            }
        }
    }
}
