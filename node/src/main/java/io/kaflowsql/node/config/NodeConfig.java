package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
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
        LoggingSettings logging,
        AdminSettings admin)
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
        requireNonNull(admin, "admin is null");
    }

    /** A config whose admin API has no token (every admin call is refused) and no TLS. */
    public NodeConfig(ClusterSettings cluster, KafkaSettings kafka, SchemaRegistrySettings schemaRegistry, StateSettings state,
            ProcessingSettings processing, CheckpointSettings checkpoint, HttpSettings http, PipelinesSettings pipelines, LoggingSettings logging)
    {
        this(cluster, kafka, schemaRegistry, state, processing, checkpoint, http, pipelines, logging, AdminSettings.NONE);
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
                new LoggingSettings("INFO"),
                AdminSettings.NONE);
    }

    /** This config with other cluster settings (tests and the demo start several nodes from one config). */
    public NodeConfig withCluster(ClusterSettings value)
    {
        return new NodeConfig(value, kafka, schemaRegistry, state, processing, checkpoint, http, pipelines, logging, admin);
    }

    /** This config with other admin API settings. */
    public NodeConfig withAdmin(AdminSettings value)
    {
        return new NodeConfig(cluster, kafka, schemaRegistry, state, processing, checkpoint, http, pipelines, logging, value);
    }

    /**
     * {@code cluster:}, {@code standby:} and {@code admin:} — the name that nodes of one cluster share and how
     * this node finds the others. A node is {@linkplain #clustered() clustered} when it is given a member port,
     * a member list or Kubernetes discovery; otherwise it runs standalone and owns every task itself.
     *
     * @param nodeId unique per node (default: the host name); names the node in assignments, logs and metrics
     * @param host address this node binds its member and admin ports to and advertises to peers
     * @param port Hazelcast member port (the cluster port)
     * @param members other members to join, {@code host:port} each (TCP/IP discovery); may include this node
     * @param kubernetesServiceDns headless service for Hazelcast's Kubernetes discovery (instead of {@code members})
     * @param minSize quorum: with fewer members this node stops processing (split brain protection)
     * @param heartbeatInterval member heartbeat period
     * @param failureTimeout a member silent this long is declared dead and its tasks move
     * @param standbyReplicas warm standby copies kept per task on other nodes ({@code standby.replicas})
     * @param standbyRefresh how often a standby copy is brought up to date ({@code standby.refresh-interval})
     * @param adminPort gRPC port: the admin API and node-to-node state transfer ({@code admin.port})
     */
    public record ClusterSettings(String name, boolean clustered, String nodeId, String host, int port, List<String> members,
            Optional<String> kubernetesServiceDns, Optional<String> kubernetesNamespace, int minSize, Duration heartbeatInterval,
            Duration failureTimeout, int standbyReplicas, Duration standbyRefresh, int adminPort)
    {
        public static final int DEFAULT_PORT = 5701;
        public static final int DEFAULT_ADMIN_PORT = 9090;

        public ClusterSettings
        {
            requireNonNull(name, "name is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cluster name is blank");
            }
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(host, "host is null");
            members = List.copyOf(requireNonNull(members, "members is null"));
            requireNonNull(kubernetesServiceDns, "kubernetesServiceDns is null");
            requireNonNull(kubernetesNamespace, "kubernetesNamespace is null");
            requireNonNull(heartbeatInterval, "heartbeatInterval is null");
            requireNonNull(failureTimeout, "failureTimeout is null");
            requireNonNull(standbyRefresh, "standbyRefresh is null");
            if (minSize < 1) {
                throw new IllegalArgumentException("cluster min size must be at least 1: " + minSize);
            }
            if (standbyReplicas < 0) {
                throw new IllegalArgumentException("standby replicas must not be negative: " + standbyReplicas);
            }
        }

        /** A standalone node of cluster {@code name}. */
        public ClusterSettings(String name)
        {
            this(name, false, defaultNodeId(), "127.0.0.1", DEFAULT_PORT, List.of(), Optional.empty(), Optional.empty(), 1,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), 1, Duration.ofSeconds(10), DEFAULT_ADMIN_PORT);
        }

        /** These settings with another admin port (0: any free port, e.g. for several nodes in one JVM). */
        public ClusterSettings withAdminPort(int value)
        {
            return new ClusterSettings(name, clustered, nodeId, host, port, members, kubernetesServiceDns, kubernetesNamespace, minSize,
                    heartbeatInterval, failureTimeout, standbyReplicas, standbyRefresh, value);
        }

        /** This node as a member of a TCP/IP cluster (tests, demo, small installs: several nodes per host). */
        public ClusterSettings asMember(String nodeId, String host, int port, List<String> members, int adminPort)
        {
            return new ClusterSettings(name, true, nodeId, host, port, members, kubernetesServiceDns, kubernetesNamespace, minSize,
                    heartbeatInterval, failureTimeout, standbyReplicas, standbyRefresh, adminPort);
        }

        static String defaultNodeId()
        {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            }
            catch (java.net.UnknownHostException e) {
                return "kaflowsql-node";
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

    /**
     * {@code admin:} (besides {@code admin.port}, which is in {@link ClusterSettings}) — who may call the admin API
     * and whether the admin port speaks TLS.
     *
     * @param token the bearer token every admin call must carry ({@code admin.token}, {@code admin.token-file} or
     *        {@code KAFLOWSQL_ADMIN_TOKEN}); when set, node-to-node state transfer must carry it too. Empty: every
     *        admin call is refused and state transfer is not authenticated
     * @param tlsCertFile PEM certificate chain of the admin port ({@code admin.tls.cert-file}); with the key, the port speaks TLS
     * @param tlsKeyFile PEM PKCS#8 private key of that certificate ({@code admin.tls.key-file})
     * @param tlsTrustFile PEM certificates this node trusts when it calls its peers' admin ports ({@code admin.tls.trust-file};
     *        default: the certificate file itself, for a cluster sharing one certificate)
     */
    public record AdminSettings(Optional<String> token, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile, Optional<Path> tlsTrustFile)
    {
        public static final AdminSettings NONE = new AdminSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        public AdminSettings
        {
            requireNonNull(token, "token is null");
            requireNonNull(tlsCertFile, "tlsCertFile is null");
            requireNonNull(tlsKeyFile, "tlsKeyFile is null");
            requireNonNull(tlsTrustFile, "tlsTrustFile is null");
            if (token.isPresent() && token.get().isBlank()) {
                throw new IllegalArgumentException("admin token is blank");
            }
            if (tlsCertFile.isPresent() != tlsKeyFile.isPresent()) {
                throw new IllegalArgumentException("admin TLS needs both a certificate file and a key file");
            }
        }

        public boolean tls()
        {
            return tlsCertFile.isPresent();
        }

        /** The certificates to trust when calling a peer's TLS admin port. */
        public Optional<Path> trustFile()
        {
            return tlsTrustFile.or(() -> tlsCertFile);
        }

        /** Never prints the token. */
        @Override
        public String toString()
        {
            return "AdminSettings[token=" + (token.isPresent() ? "***" : "none") + ", tls=" + (tls() ? tlsCertFile.get() : "off") + "]";
        }
    }
}
