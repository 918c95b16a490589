package io.kaflowsql.docs;

import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.cli.KaflowSql;
import io.kaflowsql.node.config.ConfigException;
import io.kaflowsql.node.config.ConfigOverrides;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.config.NodeConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key table of docs/reference/configuration.md against the node's config loader, both ways: the keys (read from
 * the loader's own "unknown key" errors), the defaults (an empty config resolved by the loader), the environment
 * variables (set one, the key takes its value; and every variable the loader reads is documented) and the flags of
 * {@code kaflowsql node} (every flag that sets a key is in the table, and the CLI reference agrees).
 */
class ConfigurationReferenceTest
{
    private static final String PAGE = "docs/reference/configuration.md";
    private static final String CLI_PAGE = "docs/reference/cli.md";
    private static final String UNKNOWN = "zzzzzzzzzzzzzzzz";
    private static final Pattern KNOWN = Pattern.compile("known keys: ([^)]*)\\)");
    /** Settings whose value is a mapping: {@code kafka.properties} takes any key, {@code admin.tls} its own. */
    private static final String KAFKA_PROPERTIES = "kafka.properties";
    private static final String ADMIN_TLS = "admin.tls";

    /** How to read each key's resolved value from a {@link NodeConfig}. */
    private static final Map<String, Function<NodeConfig, Object>> VALUES = Map.ofEntries(
            value("cluster.name", config -> config.cluster().name()),
            value("cluster.node-id", config -> config.cluster().nodeId()),
            value("cluster.host", config -> config.cluster().host()),
            value("cluster.port", config -> config.cluster().port()),
            value("cluster.members", config -> config.cluster().members()),
            value("cluster.kubernetes-service-dns", config -> config.cluster().kubernetesServiceDns()),
            value("cluster.kubernetes-namespace", config -> config.cluster().kubernetesNamespace()),
            value("cluster.min-size", config -> config.cluster().minSize()),
            value("cluster.heartbeat-interval", config -> config.cluster().heartbeatInterval()),
            value("cluster.failure-timeout", config -> config.cluster().failureTimeout()),
            value("standby.replicas", config -> config.cluster().standbyReplicas()),
            value("standby.refresh-interval", config -> config.cluster().standbyRefresh()),
            value("admin.port", config -> config.cluster().adminPort()),
            value("admin.token", config -> config.admin().token()),
            value("admin.token-file", config -> config.admin().token()),
            value("admin.tls.cert-file", config -> config.admin().tlsCertFile()),
            value("admin.tls.key-file", config -> config.admin().tlsKeyFile()),
            value("admin.tls.trust-file", config -> config.admin().trustFile()),
            value("kafka.bootstrap-servers", config -> config.kafka().bootstrapServers()),
            value("kafka.consumer-group", config -> config.kafka().consumerGroup()),
            value(KAFKA_PROPERTIES, config -> config.kafka().clientProperties()),
            value("schema-registry.url", config -> config.schemaRegistry().url()),
            value("schema-registry.basic-auth-user-info", config -> config.schemaRegistry().basicAuthUserInfo()),
            value("schema-registry.trust-store", config -> config.schemaRegistry().trustStore()),
            value("schema-registry.trust-store-password", config -> config.schemaRegistry().trustStorePassword()),
            value("schema-registry.request-timeout", config -> config.schemaRegistry().requestTimeout()),
            value("state.dir", config -> config.state().dir()),
            value("processing.guarantee", config -> config.processing().guarantee()),
            value("processing.commit-interval", config -> config.processing().commitInterval()),
            value("checkpoint.interval", config -> config.checkpoint().interval()),
            value("checkpoint.keep", config -> config.checkpoint().keep()),
            value("http.port", config -> config.http().port()),
            value("pipelines.dir", config -> config.pipelines().dir()),
            value("logging.level", config -> config.logging().level()));
    private static Map.Entry<String, Function<NodeConfig, Object>> value(String key, Function<NodeConfig, Object> reader)
    {
        return Map.entry(key, reader);
    }

    /** Defaults the table describes in words, because they are computed: the host name, another key, the JVM's CAs. */
    private static final Map<String, String> DESCRIBED_DEFAULTS = Map.of(
            "cluster.node-id", "the host name",
            "admin.tls.trust-file", "`admin.tls.cert-file`",
            "schema-registry.trust-store", "the JVM's CAs");
    /** A value to set through each documented environment variable, and the value the key then has. */
    private static final Map<String, String> SAMPLES = Map.of(
            "KAFKA_BROKERS", "broker-1:9092",
            "SCHEMA_REGISTRY_URL", "http://registry.example.com:8081",
            "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "user:secret",
            "SCHEMA_REGISTRY_TRUST_STORE_PASSWORD", "changeit",
            "LOG_LEVEL", "DEBUG",
            "KAFLOWSQL_ADMIN_TOKEN", "t0ken");

    @Test
    void everyKeyTheLoaderAcceptsIsDocumentedAndNoOther(@TempDir Path dir)
    {
        Set<String> documented = new TreeSet<>();
        rows().keySet().forEach(key -> documented.add(key.replace(".<name>", "")));

        assertThat(documented).isEqualTo(loaderKeys(dir));
        assertThat(VALUES.keySet()).as("this test reads every documented key").containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void documentedDefaultsAreTheLoaders()
    {
        NodeConfig defaults = NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none());
        Map<String, String> documented = new TreeMap<>();
        Map<String, String> expected = new TreeMap<>();
        rows().forEach((key, row) -> {
            String normalized = key.replace(".<name>", "");
            documented.put(normalized, row.get(1));
            expected.put(normalized, DESCRIBED_DEFAULTS.getOrDefault(normalized, cell(VALUES.get(normalized).apply(defaults))));
        });

        assertThat(documented).isEqualTo(expected);
        assertThat(defaults.cluster().nodeId()).isNotBlank();
        assertThat(defaults.admin().trustFile()).isEqualTo(defaults.admin().tlsCertFile());
        assertThat(defaults.schemaRegistry().trustStore()).isEmpty();
    }

    @Test
    void eachDocumentedEnvironmentVariableSetsItsKey()
    {
        Map<String, String> variables = environmentColumn();
        assertThat(variables).isNotEmpty();
        variables.forEach((key, variable) -> {
            assertThat(SAMPLES).as("a sample value for " + variable).containsKey(variable);
            NodeConfig config = NodeConfigLoader.load(Optional.empty(), Map.of(variable, SAMPLES.get(variable)), ConfigOverrides.none());
            assertThat(cell(VALUES.get(key).apply(config))).as(variable + " sets " + key).isEqualTo("`" + SAMPLES.get(variable) + "`");
        });
    }

    @Test
    void everyEnvironmentVariableTheLoaderReadsIsDocumented()
    {
        Set<String> read = new TreeSet<>();
        Matcher constant = Pattern.compile("static final String \\w+ = \"([A-Z][A-Z0-9_]+)\"")
                .matcher(Repository.read("node/src/main/java/io/kaflowsql/node/config/NodeConfigLoader.java"));
        while (constant.find()) {
            read.add(constant.group(1));
        }

        assertThat(new TreeSet<>(environmentColumn().values())).isEqualTo(read);
    }

    @Test
    void theFlagsColumnIsEveryNodeFlagThatSetsAKeyAndTheCliReferenceAgrees()
    {
        Map<String, String> flags = new TreeMap<>();
        rows().forEach((key, row) -> ReferenceTables.codes(row.get(3)).forEach(flag -> flags.put(flag, key)));
        CommandLine.Model.CommandSpec node = KaflowSql.commandLine().getSubcommands().get("node").getCommandSpec();
        Set<String> nodeFlags = node.options().stream().filter(option -> !option.usageHelp() && !option.versionHelp())
                .map(CommandLine.Model.OptionSpec::longestName).collect(Collectors.toCollection(TreeSet::new));
        nodeFlags.removeAll(Set.of("--config", "--format"));

        assertThat(flags.keySet()).isEqualTo(nodeFlags);
        Map<String, String> cli = new TreeMap<>();
        for (List<String> row : ReferenceTables.under(CLI_PAGE, "kaflowsql node").get(0).rows()) {
            List<String> key = ReferenceTables.codes(row.get(1));
            if (!key.isEmpty()) {
                cli.put(ReferenceTables.codes(row.get(0)).get(0).split(" ")[0], key.get(0));
            }
        }
        assertThat(cli).isEqualTo(flags);
    }

    @Test
    void errorsNameTheFileLineAndKey(@TempDir Path dir)
    {
        try {
            ConfigBlocks.load("http:\n  port: eighty\n", dir);
        }
        catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(dir.resolve(ConfigBlocks.FILE_NAME) + ":2:9: 'http.port'");
            return;
        }
        throw new AssertionError("a bad port was accepted");
    }

    private static Map<String, List<String>> rows()
    {
        return ReferenceTables.byCode(ReferenceTables.under(PAGE, "Keys").subList(0, 1));
    }

    /** Key to the environment variable the table gives for it. */
    private static Map<String, String> environmentColumn()
    {
        Map<String, String> variables = new TreeMap<>();
        rows().forEach((key, row) -> ReferenceTables.codes(row.get(2)).forEach(variable -> variables.put(key, variable)));
        return variables;
    }

    /** A resolved value as the table's default column writes it. */
    private static String cell(Object value)
    {
        Object plain = value instanceof Optional<?> optional ? optional.orElse(null) : value;
        if (plain == null || plain instanceof Collection<?> collection && collection.isEmpty() || plain instanceof Map<?, ?> map && map.isEmpty()) {
            return "none";
        }
        String text;
        if (plain instanceof Duration duration) {
            text = Durations.format(duration);
        }
        else if (plain instanceof ProcessingGuarantee guarantee) {
            text = guarantee.configName();
        }
        else {
            text = String.valueOf(plain);
        }
        return "`" + text + "`";
    }

    private static Set<String> loaderKeys(Path dir)
    {
        Set<String> keys = new TreeSet<>();
        for (String section : knownKeys(UNKNOWN + ": 1\n", dir)) {
            for (String key : knownKeys(section + ":\n  " + UNKNOWN + ": 1\n", dir)) {
                String dotted = section + "." + key;
                if (dotted.equals(ADMIN_TLS)) {
                    knownKeys("admin:\n  tls:\n    " + UNKNOWN + ": x\n", dir).forEach(tls -> keys.add(ADMIN_TLS + "." + tls));
                }
                else {
                    keys.add(dotted);
                }
            }
        }
        return keys;
    }

    /** The keys the loader lists when it meets an unknown one in {@code yaml}. */
    private static List<String> knownKeys(String yaml, Path dir)
    {
        try {
            ConfigBlocks.load(yaml, dir, Map.of());
        }
        catch (ConfigException e) {
            Matcher matcher = KNOWN.matcher(e.getMessage());
            assertThat(matcher.find()).as("the loader lists the known keys: " + e.getMessage()).isTrue();
            return Arrays.stream(matcher.group(1).split(",\\s*")).toList();
        }
        throw new AssertionError("an unknown key was accepted in " + yaml);
    }
}
