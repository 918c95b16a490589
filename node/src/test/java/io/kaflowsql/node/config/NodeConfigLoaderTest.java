package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeConfigLoaderTest
{
    @TempDir
    Path dir;

    @Test
    void readsEveryKeyOfAFullFile()
            throws IOException
    {
        Path file = write("""
                cluster: { name: prod-eu }
                kafka:
                  bootstrap-servers: kafka-1:9092,kafka-2:9092
                  consumer-group: enrich
                  properties:
                    security.protocol: SASL_SSL
                    linger.ms: 5
                schema-registry: { url: http://registry:8081 }
                state: { dir: /var/lib/kaflowsql }
                processing: { guarantee: at_least_once, commit-interval: 250ms }
                checkpoint: { interval: 1m, keep: 3 }
                http: { port: 9090 }
                pipelines: { dir: ./pipelines }
                logging: { level: debug }
                """);

        NodeConfig config = NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none());

        assertThat(config.cluster().name()).isEqualTo("prod-eu");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(config.kafka().consumerGroup()).isEqualTo("enrich");
        assertThat(config.kafka().clientProperties()).containsExactly(
                Map.entry("linger.ms", "5"),
                Map.entry("security.protocol", "SASL_SSL"));
        assertThat(config.schemaRegistry().url()).contains("http://registry:8081");
        assertThat(config.state().dir()).isEqualTo(Path.of("/var/lib/kaflowsql"));
        assertThat(config.processing().guarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(config.processing().commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.checkpoint().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.checkpoint().keep()).isEqualTo(3);
        assertThat(config.http().port()).isEqualTo(9090);
        assertThat(config.pipelines().dir()).contains(Path.of("./pipelines"));
        assertThat(config.logging().level()).isEqualTo("DEBUG");
    }

    @Test
    void emptyFileAndEmptySectionsKeepDefaults()
            throws IOException
    {
        assertThat(NodeConfigLoader.load(Optional.of(write("")), Map.of(), ConfigOverrides.none()))
                .isEqualTo(NodeConfig.defaults());
        assertThat(NodeConfigLoader.load(Optional.of(write("kafka:\nhttp: { port: }\n")), Map.of(), ConfigOverrides.none()))
                .isEqualTo(NodeConfig.defaults());
    }

    @Test
    void substitutesVariablesAndDefaultsInValues()
            throws IOException
    {
        Path file = write("""
                kafka:
                  bootstrap-servers: ${BROKER_HOST}:${BROKER_PORT:-9092}
                  properties: { sasl.jaas.config: "user=${USER_NAME:-anonymous} literal=$${NOT_A_VAR}" }
                http: { port: "${PORT:-8181}" }
                state: { dir: "${EMPTY:-/data}/state" }
                """);

        NodeConfig config = NodeConfigLoader.load(Optional.of(file), Map.of("BROKER_HOST", "kafka", "EMPTY", ""), ConfigOverrides.none());

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.kafka().clientProperties()).containsEntry("sasl.jaas.config", "user=anonymous literal=${NOT_A_VAR}");
        assertThat(config.http().port()).isEqualTo(8181);
        assertThat(config.state().dir()).isEqualTo(Path.of("/data/state"));
    }

    @Test
    void unsetVariableWithoutDefaultNamesVariableFileAndLine()
            throws IOException
    {
        Path file = write("""
                cluster: { name: a }
                kafka:
                  bootstrap-servers: ${KAFKA_HOSTS}
                """);

        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3:22: environment variable KAFKA_HOSTS is not set (set it, or give a default: ${KAFKA_HOSTS:-value})");
    }

    @Test
    void environmentVariablesApplyWhenFileDoesNotSetTheKey()
    {
        Map<String, String> env = Map.of(
                "KAFKA_BROKERS", "env-kafka:9092",
                "SCHEMA_REGISTRY_URL", "https://env-registry",
                "LOG_LEVEL", "warn");

        NodeConfig config = NodeConfigLoader.load(Optional.empty(), env, ConfigOverrides.none());

        assertThat(config.kafka().bootstrapServers()).isEqualTo("env-kafka:9092");
        assertThat(config.schemaRegistry().url()).contains("https://env-registry");
        assertThat(config.logging().level()).isEqualTo("WARN");
    }

    @Test
    void fileWinsOverEnvironmentAndOptionsWinOverFile()
            throws IOException
    {
        Path file = write("""
                kafka: { bootstrap-servers: file-kafka:9092 }
                logging: { level: ERROR }
                state: { dir: ./file-state }
                http: { port: 7000 }
                pipelines: { dir: ./file-pipelines }
                """);
        Map<String, String> env = Map.of("KAFKA_BROKERS", "env-kafka:9092", "LOG_LEVEL", "DEBUG");

        NodeConfig fromFile = NodeConfigLoader.load(Optional.of(file), env, ConfigOverrides.none());
        assertThat(fromFile.kafka().bootstrapServers()).isEqualTo("file-kafka:9092");
        assertThat(fromFile.logging().level()).isEqualTo("ERROR");

        ConfigOverrides overrides = ConfigOverrides.none()
                .withBootstrapServers("flag-kafka:9092")
                .withStateDir(Path.of("/flag-state"))
                .withHttpPort(0)
                .withPipelinesDir(Path.of("/flag-pipelines"));
        NodeConfig fromFlags = NodeConfigLoader.load(Optional.of(file), env, overrides);
        assertThat(fromFlags.kafka().bootstrapServers()).isEqualTo("flag-kafka:9092");
        assertThat(fromFlags.state().dir()).isEqualTo(Path.of("/flag-state"));
        assertThat(fromFlags.http().port()).isZero();
        assertThat(fromFlags.pipelines().dir()).contains(Path.of("/flag-pipelines"));
        assertThat(fromFlags.logging().level()).isEqualTo("ERROR");
    }

    @Test
    void unknownKeyNamesFileLineColumnPathAndSuggestion()
            throws IOException
    {
        Path file = write("""
                cluster:
                  name: x
                http:
                  port: 8080

                kafka:
                  bootstap-servers: localhost:9092
                """);

        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":7:3: unknown key 'kafka.bootstap-servers' (did you mean 'bootstrap-servers'?)");
    }

    @Test
    void unknownSectionWithoutCloseMatchListsKnownKeys()
            throws IOException
    {
        Path file = write("kafak: {}\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()))
                .hasMessage(file + ":1:1: unknown key 'kafak' (did you mean 'kafka'?)");

        Path other = write("metrics: { enabled: true }\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(other), Map.of(), ConfigOverrides.none()))
                .hasMessage(other + ":1:1: unknown key 'metrics' (known keys: cluster, standby, admin, kafka, schema-registry, state, processing, checkpoint, http, pipelines, logging)");
    }

    @Test
    void wrongTypesNameKeyValueAndExpectation()
            throws IOException
    {
        assertLoadFails("http: { port: eighty }\n", ":1:15: 'http.port' must be a port number between 0 and 65535, got 'eighty'");
        assertLoadFails("http: { port: 70000 }\n", ":1:15: 'http.port' must be a port number between 0 and 65535, got '70000'");
        assertLoadFails("http: 8080\n", ":1:7: 'http' must be a mapping (port), got '8080'");
        assertLoadFails("kafka:\n  bootstrap-servers: [a, b]\n", ":2:22: 'kafka.bootstrap-servers' must be a single value, got a list");
        assertLoadFails("logging: { level: LOUD }\n", ":1:19: 'logging.level' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got 'LOUD'");
        assertLoadFails("schema-registry: { url: registry:8081 }\n",
                ":1:25: 'schema-registry.url' must be an http:// or https:// URL such as http://schema-registry:8081, got 'registry:8081'");
        assertLoadFails("cluster: { name: 'a b' }\n",
                ":1:18: 'cluster.name' must be letters, digits, '.', '_' or '-', starting with a letter or digit, got 'a b'");
        assertLoadFails("http: { port: 1 }\nhttp: { port: 2 }\n", ":2:1: duplicate key 'http' (keep one of them)");
        assertLoadFails("- a\n- b\n",
                ":1:1: the file must be a mapping (cluster, standby, admin, kafka, schema-registry, state, processing, checkpoint, http, pipelines, logging), got a list");
        assertLoadFails("processing: { guarantee: twice }\n", ":1:26: 'processing.guarantee' must be exactly_once or at_least_once, got 'twice'");
        assertLoadFails("checkpoint: { interval: 0s }\n", ":1:25: 'checkpoint.interval' must be a positive duration such as 100ms, 30s or 5m, got '0s'");
        assertLoadFails("checkpoint: { keep: 0 }\n", ":1:21: 'checkpoint.keep' must be a whole number of at least 1, got '0'");
    }

    @Test
    void schemaRegistrySecurityComesFromFileOrEnvironmentAndNeverPrintsSecrets()
            throws IOException
    {
        Path file = write("""
                schema-registry:
                  url: https://registry:8081
                  basic-auth-user-info: svc:s3cret
                  trust-store: /etc/kaflowsql/ca.p12
                  trust-store-password: changeit
                  request-timeout: 3s
                """);
        NodeConfig config = NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none());

        var client = config.schemaRegistry().client().orElseThrow();
        assertThat(client.url()).hasToString("https://registry:8081");
        assertThat(client.basicAuthUserInfo()).contains("svc:s3cret");
        assertThat(client.trustStore()).contains(Path.of("/etc/kaflowsql/ca.p12"));
        assertThat(client.trustStorePassword()).contains("changeit");
        assertThat(client.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.schemaRegistry().toString()).doesNotContain("s3cret").doesNotContain("changeit");
        assertThat(client.toString()).doesNotContain("s3cret").doesNotContain("changeit");

        NodeConfig fromEnv = NodeConfigLoader.load(Optional.empty(),
                Map.of("SCHEMA_REGISTRY_URL", "http://sr:8081", "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "u:p"), ConfigOverrides.none());
        assertThat(fromEnv.schemaRegistry().client().orElseThrow().basicAuthUserInfo()).contains("u:p");
        assertThat(NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none()).schemaRegistry().client()).isEmpty();

        assertLoadFails("schema-registry: { url: 'http://sr:8081', basic-auth-user-info: nopassword }\n",
                ":1:65: 'schema-registry.basic-auth-user-info' must be user:password, got 'nopassword'");
    }

    @Test
    void invalidYamlSyntaxIsLocated()
            throws IOException
    {
        Path file = write("kafka:\n  bootstrap-servers: \"unterminated\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ":3:1: invalid YAML: ");
    }

    @Test
    void badEnvironmentValueAndBadOptionAreNamed()
    {
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.empty(), Map.of("LOG_LEVEL", "chatty"), ConfigOverrides.none()))
                .hasMessage("environment variable LOG_LEVEL: 'logging.level' must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got 'chatty'");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none().withHttpPort(-1)))
                .hasMessage("option --http-port: 'http.port' must be a port number between 0 and 65535, got -1");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none().withBootstrapServers(" ")))
                .hasMessage("option --bootstrap-servers: 'kafka.bootstrap-servers' must not be empty");
    }

    @Test
    void missingFileSaysWhichPath()
    {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(missing), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read the config file");
    }

    private void assertLoadFails(String yaml, String expectedAfterFileName)
            throws IOException
    {
        Path file = write(yaml);
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + expectedAfterFileName);
    }

    private Path write(String yaml)
            throws IOException
    {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }
}
