package io.kaflowsql.deploy;

import io.kaflowsql.node.config.ConfigOverrides;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.config.NodeConfigLoader;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/compose/docker-compose.yml, checked without a Docker engine: the services, the mounts (every host path
 * exists), the fixed node addresses against the member list, and the nodes' config as the node itself loads it.
 */
class ComposeFileTest
{
    private static final Path COMPOSE_DIRECTORY = Repository.file("deploy/compose");
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");

    private final Map<String, Object> compose = new Yaml().load(Repository.read("deploy/compose/docker-compose.yml"));

    @Test
    void runsThreeNodesKafkaASchemaRegistryPrometheusAndGrafana()
    {
        assertThat(services().keySet()).containsExactlyInAnyOrder("node-1", "node-2", "node-3", "kafka", "schema-registry", "prometheus", "grafana");
        for (String node : NODES) {
            Map<String, Object> service = service(node);
            assertThat((String) service.get("image")).startsWith("${KAFLOWSQL_IMAGE:-kaflowsql:" + Repository.version());
            Map<String, Object> build = map(service.get("build"));
            assertThat(COMPOSE_DIRECTORY.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"))).isRegularFile();
            assertThat(environment(node)).containsEntry("KAFKA_BROKERS", "kafka:9092").containsEntry("SCHEMA_REGISTRY_URL", "http://schema-registry:8081")
                    .containsKey("KAFLOWSQL_ADMIN_TOKEN");
        }
    }

    @Test
    void mountsTheConfigAndPipelineWhereTheSeedsExampleDoesAndEveryHostPathExists()
    {
        for (String node : NODES) {
            List<String> volumes = list(service(node).get("volumes"));
            assertThat(volumes).contains("./config.yaml:/app/config.yaml:ro", node + "-state:/var/lib/kaflowsql")
                    .anyMatch(volume -> volume.matches(".*:/app/pipelines/[a-z_]+\\.yaml:ro"));
        }
        for (Object service : services().values()) {
            for (String volume : ComposeFileTest.<String>list(map(service).getOrDefault("volumes", List.of()))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(COMPOSE_DIRECTORY.resolve(source).normalize()).as(volume).exists();
                }
            }
        }
        assertThat(map(compose.get("volumes")).keySet()).containsExactlyInAnyOrder("node-1-state", "node-2-state", "node-3-state");
    }

    @Test
    void eachNodeLoadsTheSharedConfigAsAMemberAtItsOwnAddress()
    {
        for (String node : NODES) {
            Map<String, String> environment = environment(node);
            String address = (String) map(map(service(node).get("networks")).get("kaflowsql")).get("ipv4_address");

            NodeConfig config = NodeConfigLoader.load(Optional.of(COMPOSE_DIRECTORY.resolve("config.yaml")), environment, ConfigOverrides.none());

            assertThat(environment).containsEntry("NODE_IP", address).containsEntry("NODE_ID", node);
            assertThat(address).startsWith("172.28.0.");
            assertThat(config.cluster().clustered()).isTrue();
            assertThat(config.cluster().nodeId()).isEqualTo(node);
            assertThat(config.cluster().host()).isEqualTo(address);
            assertThat(config.cluster().members()).containsExactly("172.28.0.11:5701", "172.28.0.12:5701", "172.28.0.13:5701")
                    .contains(address + ":" + config.cluster().port());
            assertThat(config.cluster().minSize()).isEqualTo(2);
            assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
            assertThat(config.schemaRegistry().url()).contains("http://schema-registry:8081");
            assertThat(config.admin().token()).isPresent();
            assertThat(config.state().dir()).isEqualTo(Path.of("/var/lib/kaflowsql"));
            assertThat(config.http().port()).isEqualTo(8080);
        }
    }

    @Test
    void prometheusScrapesEveryNodeAndGrafanaIsProvisionedWithTheDashboard()
    {
        Map<String, Object> prometheus = new Yaml().load(Repository.read("deploy/compose/prometheus.yml"));
        Map<String, Object> job = map(list(prometheus.get("scrape_configs")).get(0));
        List<String> targets = list(map(list(job.get("static_configs")).get(0)).get("targets"));

        assertThat(targets).containsExactlyInAnyOrder("node-1:8080", "node-2:8080", "node-3:8080");
        assertThat(list(service("grafana").get("volumes")))
                .contains("../grafana/kaflowsql-dashboard.json:/var/lib/grafana/dashboards/kaflowsql-dashboard.json:ro");
        Map<String, Object> provider = map(list(new Yaml().<Map<String, Object>>load(
                Repository.read("deploy/grafana/provisioning/dashboards/kaflowsql.yaml")).get("providers")).get(0));
        assertThat(map(provider.get("options"))).containsEntry("path", "/var/lib/grafana/dashboards");
    }

    private Map<String, Object> services()
    {
        return map(compose.get("services"));
    }

    private Map<String, Object> service(String name)
    {
        return map(services().get(name));
    }

    private Map<String, String> environment(String node)
    {
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        map(service(node).get("environment")).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value)
    {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object value)
    {
        assertThat(value).isInstanceOf(List.class);
        return (List<T>) value;
    }
}
