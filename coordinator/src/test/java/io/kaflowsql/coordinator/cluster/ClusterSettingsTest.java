package io.kaflowsql.coordinator.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSettingsTest
{
    private static final ClusterSettings DEFAULTS = ClusterSettings.defaults("node-1", 5701, "127.0.0.1:7001");

    @Test
    void defaultsArePinned()
    {
        assertThat(DEFAULTS.clusterName()).isEqualTo("kaflowsql");
        assertThat(DEFAULTS.bindHost()).isEqualTo("127.0.0.1");
        assertThat(DEFAULTS.publicAddress()).isEmpty();
        assertThat(DEFAULTS.members()).isEmpty();
        assertThat(DEFAULTS.kubernetes()).isEmpty();
        assertThat(DEFAULTS.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(DEFAULTS.failureTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(DEFAULTS.minSize()).isEqualTo(1);
        assertThat(DEFAULTS.standbyReplicas()).isEqualTo(1);
        assertThat(DEFAULTS.standbyRefresh()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.handoverTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.advertisedMemberAddress()).isEqualTo("127.0.0.1:5701");
    }

    @Test
    void badValuesAreRejectedNamingTheSetting()
    {
        assertThatThrownBy(() -> ClusterSettings.defaults(" ", 5701, "h:1")).hasMessageContaining("cluster.node-id");
        assertThatThrownBy(() -> ClusterSettings.defaults("n", 0, "h:1")).hasMessageContaining("cluster.port");
        assertThatThrownBy(() -> DEFAULTS.withMembers(List.of("10.0.0.1"))).hasMessageContaining("cluster.members").hasMessageContaining("host:port");
        assertThatThrownBy(() -> DEFAULTS.withMembers(List.of("10.0.0.1:5701-5703"))).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> DEFAULTS.withMinSize(0)).hasMessageContaining("cluster.min-size");
        assertThatThrownBy(() -> DEFAULTS.withStandbyReplicas(-1)).hasMessageContaining("standby.replicas");
        assertThatThrownBy(() -> ClusterSettings.defaults("n", 5701, "nohost")).hasMessageContaining("cluster.transfer-address");
        assertThatThrownBy(() -> DEFAULTS.withFailureDetection(Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .hasMessageContaining("at least twice");
        assertThatThrownBy(() -> DEFAULTS.withFailureDetection(Duration.ofMillis(500), Duration.ofSeconds(3)))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> DEFAULTS.withMembers(List.of("10.0.0.2:5701")).withBinding("0.0.0.0", Optional.empty()))
                .hasMessageContaining("cluster.public-address");
        assertThatThrownBy(() -> new KubernetesDiscovery(Optional.empty(), Optional.of(" "))).hasMessageContaining("service DNS name or a namespace");
    }

    @Test
    void memberConfigUsesTcpIpJoinWithSelfAndFastFailureDetection()
    {
        ClusterSettings settings = DEFAULTS.withClusterName("prod").withMembers(List.of("127.0.0.1:5702", "127.0.0.1:5703"))
                .withFailureDetection(Duration.ofSeconds(2), Duration.ofSeconds(7));

        Config config = HazelcastMembers.config(settings);

        assertThat(config.getClusterName()).isEqualTo("prod");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5702", "127.0.0.1:5703", "127.0.0.1:5701");
        assertThat(join.getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(5);
        assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
        assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("2");
        assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
        assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(config.getCPSubsystemConfig().getCPMemberCount()).isZero();
        assertThat(config.getMemberAttributeConfig().getAttribute(HazelcastMembers.NODE_ID_ATTRIBUTE)).isEqualTo("node-1");
        assertThat(config.getMapConfig(HazelcastMembers.ASSIGNMENT_MAP).getMergePolicyConfig().getPolicy())
                .isEqualTo(HigherGenerationMergePolicy.class.getName());
    }

    @Test
    void memberConfigListensEverywhereAndAdvertisesThePublicAddress()
    {
        ClusterSettings settings = DEFAULTS.withMembers(List.of("10.0.0.2:5701")).withBinding("0.0.0.0", Optional.of("10.0.0.1"));

        Config config = HazelcastMembers.config(settings);

        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
        assertThat(config.getNetworkConfig().getPublicAddress()).isEqualTo("10.0.0.1");
        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).containsExactly("10.0.0.2:5701", "10.0.0.1:5701");
    }

    @Test
    void kubernetesDiscoveryReplacesTheMemberList()
    {
        ClusterSettings settings = DEFAULTS.withKubernetes(new KubernetesDiscovery(Optional.of("kaflowsql.prod.svc.cluster.local"), Optional.of("prod")));

        JoinConfig join = HazelcastMembers.config(settings).getNetworkConfig().getJoin();

        KubernetesConfig kubernetes = join.getKubernetesConfig();
        assertThat(kubernetes.isEnabled()).isTrue();
        assertThat(kubernetes.getProperty("service-dns")).isEqualTo("kaflowsql.prod.svc.cluster.local");
        assertThat(kubernetes.getProperty("namespace")).isEqualTo("prod");
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    }
}
