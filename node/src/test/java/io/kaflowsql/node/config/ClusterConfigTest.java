package io.kaflowsql.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster:}, {@code standby:} and {@code admin:} keys and the flags that override them. */
class ClusterConfigTest
{
    @TempDir
    Path dir;

    @Test
    void withoutMembershipSettingsTheNodeRunsStandalone()
    {
        NodeConfig.ClusterSettings cluster = NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none()).cluster();

        assertThat(cluster.clustered()).isFalse();
        assertThat(cluster.standbyReplicas()).isEqualTo(1);
        assertThat(cluster.minSize()).isEqualTo(1);
        assertThat(cluster.port()).isEqualTo(NodeConfig.ClusterSettings.DEFAULT_PORT);
        assertThat(cluster.adminPort()).isEqualTo(NodeConfig.ClusterSettings.DEFAULT_ADMIN_PORT);
    }

    @Test
    void readsEveryClusterKey()
            throws IOException
    {
        Path file = write("""
                cluster:
                  name: prod
                  node-id: node-7
                  host: 10.0.0.7
                  port: 5801
                  members: 10.0.0.7:5801, 10.0.0.8:5801
                  min-size: 2
                  heartbeat-interval: 2s
                  failure-timeout: 10s
                standby: { replicas: 2, refresh-interval: 20s }
                admin: { port: 9191 }
                """);

        NodeConfig.ClusterSettings cluster = NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()).cluster();

        assertThat(cluster.clustered()).isTrue();
        assertThat(cluster.name()).isEqualTo("prod");
        assertThat(cluster.nodeId()).isEqualTo("node-7");
        assertThat(cluster.host()).isEqualTo("10.0.0.7");
        assertThat(cluster.port()).isEqualTo(5801);
        assertThat(cluster.members()).containsExactly("10.0.0.7:5801", "10.0.0.8:5801");
        assertThat(cluster.minSize()).isEqualTo(2);
        assertThat(cluster.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(cluster.failureTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(cluster.standbyReplicas()).isEqualTo(2);
        assertThat(cluster.standbyRefresh()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cluster.adminPort()).isEqualTo(9191);
    }

    @Test
    void flagsOverrideTheFileAndMakeTheNodeAMember()
            throws IOException
    {
        Path file = write("cluster: { node-id: from-file, port: 5801 }\nadmin: { port: 9191 }\n");
        ConfigOverrides flags = ConfigOverrides.none().withNodeId("node-2").withClusterHost("127.0.0.1").withClusterPort(6002)
                .withClusterMembers(List.of("127.0.0.1:6001", "127.0.0.1:6002")).withAdminPort(0);

        NodeConfig.ClusterSettings cluster = NodeConfigLoader.load(Optional.of(file), Map.of(), flags).cluster();

        assertThat(cluster.nodeId()).isEqualTo("node-2");
        assertThat(cluster.port()).isEqualTo(6002);
        assertThat(cluster.members()).containsExactly("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(cluster.adminPort()).isZero();
        assertThat(NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none().withClusterPort(6001)).cluster().clustered()).isTrue();
    }

    @Test
    void kubernetesDiscoveryMakesTheNodeAMember()
            throws IOException
    {
        Path file = write("cluster: { kubernetes-service-dns: kaflowsql-headless.default.svc.cluster.local, kubernetes-namespace: default }\n");

        NodeConfig.ClusterSettings cluster = NodeConfigLoader.load(Optional.of(file), Map.of(), ConfigOverrides.none()).cluster();

        assertThat(cluster.clustered()).isTrue();
        assertThat(cluster.kubernetesServiceDns()).contains("kaflowsql-headless.default.svc.cluster.local");
        assertThat(cluster.kubernetesNamespace()).contains("default");
    }

    @Test
    void badValuesNameTheFileLineAndKey()
            throws IOException
    {
        Path members = write("cluster:\n  members: 10.0.0.1:5701, 10.0.0.2\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(members), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(members + ":2:")
                .hasMessageContaining("cluster.members")
                .hasMessageContaining("10.0.0.2");
        Path replicas = write("standby: { replicas: -1 }\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(replicas), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(replicas + ":1:")
                .hasMessageContaining("standby.replicas");
        Path unknown = write("cluster: { min-sizes: 2 }\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(unknown), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("min-size");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none().withClusterMembers(List.of("host-without-port"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--cluster-members");
    }

    @Test
    void clusterTimingsAreCheckedWhenTheConfigIsRead()
            throws IOException
    {
        Path tooShort = write("cluster:\n  heartbeat-interval: 3s\n  failure-timeout: 5s\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(tooShort), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(tooShort + ":3:20: 'cluster.failure-timeout' (5s) must be at least twice 'cluster.heartbeat-interval' (3s), "
                        + "or one late heartbeat drops a healthy member");
        Path fractional = write("cluster:\n  heartbeat-interval: 1500ms\n");
        assertThatThrownBy(() -> NodeConfigLoader.load(Optional.of(fractional), Map.of(), ConfigOverrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(fractional + ":2:")
                .hasMessageContaining("'cluster.heartbeat-interval' must be whole seconds");
    }

    private Path write(String text)
            throws IOException
    {
        Path file = Files.createTempFile(dir, "node", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
