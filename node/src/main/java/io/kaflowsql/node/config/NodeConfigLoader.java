package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig.AdminSettings;
import io.kaflowsql.node.config.NodeConfig.ClusterSettings;
import io.kaflowsql.node.config.NodeConfig.HttpSettings;
import io.kaflowsql.node.config.NodeConfig.KafkaSettings;
import io.kaflowsql.node.config.NodeConfig.LoggingSettings;
import io.kaflowsql.node.config.NodeConfig.PipelinesSettings;
import io.kaflowsql.node.config.NodeConfig.ProcessingSettings;
import io.kaflowsql.node.config.NodeConfig.SchemaRegistrySettings;
import io.kaflowsql.node.config.NodeConfig.StateSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Builds the {@link NodeConfig} of a node from four sources. For each setting the first source that
 * has it wins:
 * <ol>
 *   <li>command-line options ({@link ConfigOverrides}: {@code --bootstrap-servers}, {@code --state-dir},
 *       {@code --http-port}, {@code --pipelines}, {@code --processing-guarantee});</li>
 *   <li>the YAML config file, whose values may use {@code ${VAR}} and {@code ${VAR:-default}};</li>
 *   <li>the environment variables of the original single-process tool: {@code KAFKA_BROKERS}
 *       (kafka.bootstrap-servers), {@code SCHEMA_REGISTRY_URL} (schema-registry.url),
 *       {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}, {@code SCHEMA_REGISTRY_TRUST_STORE_PASSWORD} and
 *       {@code LOG_LEVEL} (logging.level); empty values count as unset;</li>
 *   <li>the defaults of {@link NodeConfig#defaults()}.</li>
 * </ol>
 * The file is above the environment so that a file checked into a deployment means what it says;
 * a file that wants the environment writes {@code ${KAFKA_BROKERS}} explicitly.
 *
 * <p>Every problem is a {@link ConfigException} saying where ({@code config.yaml:7:3}, an environment
 * variable or an option), which dotted key, and what to write instead. Stateless and thread-safe.
 */
public final class NodeConfigLoader
{
    private static final String KAFKA_BROKERS = "KAFKA_BROKERS";
    private static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    private static final String SCHEMA_REGISTRY_BASIC_AUTH = "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO";
    private static final String SCHEMA_REGISTRY_TRUST_STORE_PASSWORD = "SCHEMA_REGISTRY_TRUST_STORE_PASSWORD";
    private static final String LOG_LEVEL = "LOG_LEVEL";
    /** The admin API's bearer token; the {@code kaflowsql admin} CLI reads the same variable. */
    public static final String ADMIN_TOKEN = "KAFLOWSQL_ADMIN_TOKEN";

    private NodeConfigLoader() {}

    /**
     * @param file the YAML file, or empty to use only environment, options and defaults
     * @param env the process environment ({@code System.getenv()}); a parameter so tests can pass their own
     * @throws ConfigException when the file cannot be read or any value is invalid
     */
    public static NodeConfig load(Optional<Path> file, Map<String, String> env, ConfigOverrides overrides)
    {
        requireNonNull(file, "file is null");
        requireNonNull(env, "env is null");
        requireNonNull(overrides, "overrides is null");
        ConfigDocument document = file.map(path -> ConfigDocument.parse(read(path), path.toString(), env))
                .orElseGet(ConfigDocument::empty);
        return resolve(document, env, overrides);
    }

    private static NodeConfig resolve(ConfigDocument document, Map<String, String> env, ConfigOverrides overrides)
    {
        NodeConfig defaults = NodeConfig.defaults();
        Sources sources = new Sources(document, env);

        String bootstrapServers = overrides.bootstrapServers()
                .map(value -> nonBlank(value, ConfigLocation.option("--bootstrap-servers"), "kafka.bootstrap-servers"))
                .orElseGet(() -> sources.lookup("kafka.bootstrap-servers", KAFKA_BROKERS)
                        .map(value -> nonBlank(value.text(), value.location(), value.key()))
                        .orElse(defaults.kafka().bootstrapServers()));
        String consumerGroup = sources.lookup("kafka.consumer-group", null)
                .map(value -> nonBlank(value.text(), value.location(), value.key()))
                .orElse(defaults.kafka().consumerGroup());
        Map<String, String> clientProperties = new LinkedHashMap<>();
        document.kafkaProperties().forEach((key, value) -> clientProperties.put(key, value.text()));

        Optional<String> registryUrl = sources.lookup("schema-registry.url", SCHEMA_REGISTRY_URL)
                .map(SettingParsers::httpUrl)
                .or(() -> defaults.schemaRegistry().url());
        SchemaRegistrySettings registry = new SchemaRegistrySettings(registryUrl,
                sources.lookup("schema-registry.basic-auth-user-info", SCHEMA_REGISTRY_BASIC_AUTH).map(SettingParsers::userInfo),
                sources.lookup("schema-registry.trust-store", null).map(SettingParsers::path),
                sources.lookup("schema-registry.trust-store-password", SCHEMA_REGISTRY_TRUST_STORE_PASSWORD).map(ConfigValue::text),
                sources.lookup("schema-registry.request-timeout", null).map(SettingParsers::positiveDuration)
                        .orElse(defaults.schemaRegistry().requestTimeout()));

        Path stateDir = overrides.stateDir()
                .orElseGet(() -> sources.lookup("state.dir", null).map(SettingParsers::path).orElse(defaults.state().dir()));

        ProcessingGuarantee guarantee = overrides.guarantee()
                .orElseGet(() -> sources.lookup("processing.guarantee", null).map(SettingParsers::guarantee).orElse(defaults.processing().guarantee()));
        Duration commitInterval = sources.lookup("processing.commit-interval", null)
                .map(SettingParsers::positiveDuration)
                .orElse(defaults.processing().commitInterval());
        CheckpointSettings checkpoint = new CheckpointSettings(
                sources.lookup("checkpoint.interval", null).map(SettingParsers::positiveDuration).orElse(defaults.checkpoint().interval()),
                sources.lookup("checkpoint.keep", null).map(SettingParsers::positiveInt).orElse(defaults.checkpoint().keep()));

        int httpPort = overrides.httpPort()
                .map(port -> SettingParsers.checkPort(port, ConfigLocation.option("--http-port")))
                .orElseGet(() -> sources.lookup("http.port", null).map(SettingParsers::port).orElse(defaults.http().port()));

        Optional<Path> pipelinesDir = overrides.pipelinesDir()
                .or(() -> sources.lookup("pipelines.dir", null).map(SettingParsers::path))
                .or(() -> defaults.pipelines().dir());

        ClusterSettings cluster = cluster(sources, overrides, defaults.cluster());

        String logLevel = sources.lookup("logging.level", LOG_LEVEL)
                .map(SettingParsers::logLevel)
                .orElse(defaults.logging().level());

        return new NodeConfig(
                cluster,
                new KafkaSettings(bootstrapServers, consumerGroup, clientProperties),
                registry,
                new StateSettings(stateDir),
                new ProcessingSettings(guarantee, commitInterval),
                checkpoint,
                new HttpSettings(httpPort),
                new PipelinesSettings(pipelinesDir),
                new LoggingSettings(logLevel),
                admin(sources));
    }

    /** {@code admin.token} / {@code admin.token-file} (or {@code KAFLOWSQL_ADMIN_TOKEN}) and {@code admin.tls.*}. */
    private static AdminSettings admin(Sources sources)
    {
        Optional<ConfigValue> tokenFile = sources.lookup("admin.token-file", null);
        Optional<ConfigValue> token = sources.lookup("admin.token", tokenFile.isPresent() ? null : ADMIN_TOKEN);
        if (token.isPresent() && tokenFile.isPresent()) {
            throw tokenFile.get().location().error("'admin.token' and 'admin.token-file' are both set: keep one of them");
        }
        Optional<String> secret = token.map(value -> nonBlank(value.text(), value.location(), value.key()))
                .or(() -> tokenFile.map(NodeConfigLoader::readToken));
        Optional<ConfigValue> cert = sources.lookup("admin.tls.cert-file", null);
        Optional<ConfigValue> key = sources.lookup("admin.tls.key-file", null);
        Optional<ConfigValue> trust = sources.lookup("admin.tls.trust-file", null);
        if (cert.isPresent() != key.isPresent()) {
            ConfigValue given = cert.or(() -> key).orElseThrow();
            throw given.location().error("'" + given.key() + "' is set without '" + (cert.isPresent() ? "admin.tls.key-file" : "admin.tls.cert-file")
                    + "': TLS on the admin port needs both the certificate chain and its private key (PEM)");
        }
        return new AdminSettings(secret, cert.map(NodeConfigLoader::readableFile), key.map(NodeConfigLoader::readableFile),
                trust.map(NodeConfigLoader::readableFile));
    }

    private static String readToken(ConfigValue value)
    {
        Path file = readableFile(value);
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        catch (IOException e) {
            throw value.location().error("'" + value.key() + "': cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (token.isEmpty()) {
            throw value.location().error("'" + value.key() + "': " + file + " is empty (write the admin token in it)");
        }
        return token;
    }

    private static Path readableFile(ConfigValue value)
    {
        Path file = SettingParsers.path(value);
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw value.location().error("'" + value.key() + "': no readable file at " + file.toAbsolutePath());
        }
        return file;
    }

    /**
     * {@code cluster:}, {@code standby:} and {@code admin:}. The node is clustered when a member port, a
     * member list or Kubernetes discovery is given (file, or {@code --cluster-port} / {@code --cluster-members}).
     */
    private static ClusterSettings cluster(Sources sources, ConfigOverrides overrides, ClusterSettings defaults)
    {
        String name = sources.lookup("cluster.name", null).map(SettingParsers::clusterName).orElse(defaults.name());
        String nodeId = overrides.nodeId()
                .map(value -> SettingParsers.nodeId(new ConfigValue("cluster.node-id", value, ConfigLocation.option("--node-id"))))
                .orElseGet(() -> sources.lookup("cluster.node-id", null).map(SettingParsers::nodeId).orElse(defaults.nodeId()));
        String host = overrides.clusterHost()
                .map(value -> nonBlank(value, ConfigLocation.option("--cluster-host"), "cluster.host"))
                .orElseGet(() -> sources.lookup("cluster.host", null).map(value -> nonBlank(value.text(), value.location(), value.key()))
                        .orElse(defaults.host()));
        Optional<Integer> port = overrides.clusterPort()
                .map(value -> SettingParsers.checkPort(value, ConfigLocation.option("--cluster-port"), "cluster.port"))
                .or(() -> sources.lookup("cluster.port", null).map(SettingParsers::port));
        Optional<List<String>> members = overrides.clusterMembers()
                .map(value -> SettingParsers.members(String.join(",", value), ConfigLocation.option("--cluster-members"), "cluster.members"))
                .or(() -> sources.lookup("cluster.members", null).map(value -> SettingParsers.members(value.text(), value.location(), value.key())));
        Optional<String> kubernetesDns = sources.lookup("cluster.kubernetes-service-dns", null).map(value -> nonBlank(value.text(), value.location(), value.key()));
        Optional<String> kubernetesNamespace = sources.lookup("cluster.kubernetes-namespace", null)
                .map(value -> nonBlank(value.text(), value.location(), value.key()));
        boolean clustered = port.isPresent() || members.isPresent() || kubernetesDns.isPresent();
        int adminPort = overrides.adminPort()
                .map(value -> SettingParsers.checkPort(value, ConfigLocation.option("--admin-port"), "admin.port"))
                .orElseGet(() -> sources.lookup("admin.port", null).map(SettingParsers::port).orElse(defaults.adminPort()));
        Optional<ConfigValue> heartbeatValue = sources.lookup("cluster.heartbeat-interval", null);
        Optional<ConfigValue> failureTimeoutValue = sources.lookup("cluster.failure-timeout", null);
        Duration heartbeat = heartbeatValue.map(SettingParsers::wholeSeconds).orElse(defaults.heartbeatInterval());
        Duration failureTimeout = failureTimeoutValue.map(SettingParsers::wholeSeconds).orElse(defaults.failureTimeout());
        if (failureTimeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            ConfigValue blamed = failureTimeoutValue.or(() -> heartbeatValue).orElseThrow();
            throw blamed.location().error("'cluster.failure-timeout' (" + Durations.format(failureTimeout) + ") must be at least twice "
                    + "'cluster.heartbeat-interval' (" + Durations.format(heartbeat) + "), or one late heartbeat drops a healthy member");
        }
        return new ClusterSettings(name, clustered, nodeId, host, port.orElse(defaults.port()), members.orElse(List.of()), kubernetesDns, kubernetesNamespace,
                sources.lookup("cluster.min-size", null).map(SettingParsers::positiveInt).orElse(defaults.minSize()),
                heartbeat,
                failureTimeout,
                sources.lookup("standby.replicas", null).map(SettingParsers::nonNegativeInt).orElse(defaults.standbyReplicas()),
                sources.lookup("standby.refresh-interval", null).map(SettingParsers::positiveDuration).orElse(defaults.standbyRefresh()),
                adminPort);
    }

    private static String nonBlank(String value, ConfigLocation location, String key)
    {
        if (value.isBlank()) {
            throw location.error("'" + key + "' must not be empty");
        }
        return value.strip();
    }

    private static String read(Path file)
    {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file (" + e + "); check the path given to --config", e);
        }
    }

    /** The file, then the environment variable that stands for the same key. */
    private record Sources(ConfigDocument document, Map<String, String> env)
    {
        Optional<ConfigValue> lookup(String key, String variable)
        {
            Optional<ConfigValue> fromFile = document.get(key);
            if (fromFile.isPresent() || variable == null) {
                return fromFile;
            }
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new ConfigValue(key, value, ConfigLocation.environment(variable)));
        }
    }
}
