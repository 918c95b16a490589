package io.kaflowsql.coordinator.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.LatestUpdateMergePolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds and starts the embedded Hazelcast member of a node from {@link ClusterSettings}. Stateless.
 *
 * <p>Choices: multicast is off (explicit TCP-IP member list or Kubernetes discovery); the given port is the only
 * port (auto-increment off, so a wrong port fails loudly instead of joining somewhere unexpected); join starts at
 * once and waits up to {@value #JOIN_TIMEOUT_SECONDS} s for a listed peer to answer before this member founds a
 * cluster of its own (a shorter wait made a joiner found a second cluster when the first node was busy, and that
 * joiner then had no peer to bootstrap its dimensions from); failure detection follows the settings; Hazelcast logs
 * through SLF4J; no phone-home; no shutdown hook (the node decides when its member leaves); no CP subsystem (it is
 * Enterprise-only). The node id travels as the member attribute {@value #NODE_ID_ATTRIBUTE}, the format versions the
 * node reads as {@value #FORMATS_ATTRIBUTE} ({@link io.kaflowsql.protocol.SupportedVersions#toAttribute()}).
 *
 * <p>Split brain: both maps are merged when partitions heal (checked every {@value #MERGE_RUN_SECONDS} s). The
 * assignment map keeps the record with the higher generation ({@link HigherGenerationMergePolicy}); the status map
 * keeps the latest update (each node rewrites its own status every second anyway).
 */
public final class HazelcastMembers
{
    public static final String NODE_ID_ATTRIBUTE = "kaflowsql.node-id";
    public static final String FORMATS_ATTRIBUTE = "kaflowsql.formats";
    public static final String NODES_MAP = "kaflowsql-nodes";
    public static final String ASSIGNMENT_MAP = "kaflowsql-assignment";
    static final int MERGE_RUN_SECONDS = 10;
    static final int JOIN_TIMEOUT_SECONDS = 5;

    private HazelcastMembers() {}

    public static HazelcastInstance start(ClusterSettings settings)
    {
        return Hazelcast.newHazelcastInstance(config(settings));
    }

    public static Config config(ClusterSettings settings)
    {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setInstanceName("kaflowsql-" + settings.nodeId() + "-" + settings.port());
        config.getMemberAttributeConfig().setAttribute(NODE_ID_ATTRIBUTE, settings.nodeId());
        config.getMemberAttributeConfig().setAttribute(FORMATS_ATTRIBUTE, settings.formats().supported().toAttribute());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.heartbeat.interval.seconds", Long.toString(settings.heartbeatInterval().toSeconds()));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(settings.failureTimeout().toSeconds()));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_RUN_SECONDS));
        config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_RUN_SECONDS));
        config.getCPSubsystemConfig().setCPMemberCount(0);
        configureNetwork(config.getNetworkConfig(), settings);
        configureMaps(config);
        return config;
    }

    private static void configureNetwork(NetworkConfig network, ClusterSettings settings)
    {
        network.setPort(settings.port());
        network.setPortAutoIncrement(false);
        settings.publicAddress().ifPresent(network::setPublicAddress);
        if (ClusterSettings.isWildcard(settings.bindHost())) {
            network.getInterfaces().setEnabled(false);
        }
        else {
            network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.bindHost()));
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetes().isPresent()) {
            join.getTcpIpConfig().setEnabled(false);
            KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
            settings.kubernetes().get().serviceDns().ifPresent(dns -> kubernetes.setProperty("service-dns", dns));
            settings.kubernetes().get().namespace().ifPresent(namespace -> kubernetes.setProperty("namespace", namespace));
            return;
        }
        TcpIpConfig tcpIp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(JOIN_TIMEOUT_SECONDS);
        List<String> members = new ArrayList<>(settings.members());
        String self = settings.advertisedMemberAddress();
        if (!members.contains(self)) {
            members.add(self);
        }
        tcpIp.setMembers(members);
    }

    private static void configureMaps(Config config)
    {
        MapConfig assignment = new MapConfig(ASSIGNMENT_MAP).setBackupCount(2);
        assignment.getMergePolicyConfig().setPolicy(HigherGenerationMergePolicy.class.getName());
        config.addMapConfig(assignment);
        MapConfig nodes = new MapConfig(NODES_MAP).setBackupCount(1).setPerEntryStatsEnabled(true);
        nodes.getMergePolicyConfig().setPolicy(LatestUpdateMergePolicy.class.getName());
        config.addMapConfig(nodes);
    }
}
