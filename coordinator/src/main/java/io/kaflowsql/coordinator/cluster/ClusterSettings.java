package io.kaflowsql.coordinator.cluster;

import io.kaflowsql.protocol.FormatVersions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How this node takes part in the cluster. Immutable and validated: every message names the setting and says
 * what a good value looks like. Start from {@link #defaults(String, int, String)} and change with {@code withX}.
 *
 * @param nodeId this node's stable id (names it in the assignment; unique in the cluster)
 * @param clusterName Hazelcast cluster name: members with another name never join
 * @param bindHost address the member listens on; {@code 0.0.0.0} listens on all interfaces (then set {@code publicAddress})
 * @param publicAddress address peers reach this member at, when it differs from {@code bindHost} (NAT, containers)
 * @param port the Hazelcast member port; exactly this port is used (no auto-increment)
 * @param members TCP-IP join list, {@code host:port} each; empty means only this node (ignored with Kubernetes discovery)
 * @param kubernetes Kubernetes discovery instead of the member list
 * @param heartbeatInterval how often members heartbeat each other
 * @param failureTimeout a member silent this long is declared dead (Hazelcast max-no-heartbeat)
 * @param minSize quorum: with fewer members this node processes nothing and the leader assigns nothing
 * @param standbyReplicas standby copies kept per task
 * @param transferAddress this node's state-transfer gRPC {@code host:port}, published so peers can fetch state
 * @param standbyRefresh how often a standby copy is brought up to date again
 * @param handoverTimeout how long a new owner waits for the previous owner to release a task before taking it
 *         anyway (transactional-id fencing keeps that safe)
 * @param pollInterval how often the node polls its tasks and re-evaluates (status changes are also pushed)
 * @param formats the format versions this node reads (advertised to its peers) and writes (negotiated with them);
 *         {@link FormatVersions#forThisBuild()} unless given
 */
public record ClusterSettings(
        String nodeId,
        String clusterName,
        String bindHost,
        Optional<String> publicAddress,
        int port,
        List<String> members,
        Optional<KubernetesDiscovery> kubernetes,
        Duration heartbeatInterval,
        Duration failureTimeout,
        int minSize,
        int standbyReplicas,
        String transferAddress,
        Duration standbyRefresh,
        Duration handoverTimeout,
        Duration pollInterval,
        FormatVersions formats)
{
    public static final String DEFAULT_CLUSTER_NAME = "kaflowsql";
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_FAILURE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_STANDBY_REFRESH = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDOVER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    public ClusterSettings
    {
        requireText(nodeId, "cluster.node-id", "a stable name per node, e.g. node-1");
        requireText(clusterName, "cluster.name", "the same name on every node of one cluster");
        requireText(bindHost, "cluster.host", "an address such as 127.0.0.1, or 0.0.0.0 for all interfaces");
        requireNonNull(publicAddress, "publicAddress is null");
        publicAddress = publicAddress.filter(value -> !value.isBlank());
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("cluster.port must be a TCP port between 1 and 65535, got " + port);
        }
        members = List.copyOf(requireNonNull(members, "members is null"));
        for (String member : members) {
            requireHostPort(member, "cluster.members");
        }
        requireNonNull(kubernetes, "kubernetes is null");
        requirePositive(heartbeatInterval, "cluster.heartbeat-interval");
        requirePositive(failureTimeout, "cluster.failure-timeout");
        if (heartbeatInterval.toSeconds() < 1 || failureTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("cluster.heartbeat-interval and cluster.failure-timeout are whole seconds (Hazelcast's "
                    + "resolution), at least 1s; got " + heartbeatInterval + " and " + failureTimeout);
        }
        if (failureTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("cluster.failure-timeout (" + failureTimeout + ") must be at least twice cluster.heartbeat-interval ("
                    + heartbeatInterval + "), or one late heartbeat drops a healthy member");
        }
        if (minSize < 1) {
            throw new IllegalArgumentException("cluster.min-size must be at least 1 (1 = no quorum check), got " + minSize);
        }
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standby.replicas must not be negative, got " + standbyReplicas);
        }
        requireHostPort(transferAddress, "cluster.transfer-address");
        requirePositive(standbyRefresh, "standby.refresh-interval");
        requirePositive(handoverTimeout, "cluster.handover-timeout");
        requirePositive(pollInterval, "cluster.poll-interval");
        requireNonNull(formats, "formats is null");
        if (isWildcard(bindHost) && publicAddress.isEmpty() && kubernetes.isEmpty() && !members.isEmpty()) {
            throw new IllegalArgumentException("cluster.host " + bindHost + " listens everywhere: set cluster.public-address "
                    + "(host or host:port peers use to reach this node) so the member list can name it");
        }
    }

    /** Defaults for a node on this host: bind 127.0.0.1, alone, heartbeat 1 s, failure timeout 5 s, quorum 1, 1 standby. */
    public static ClusterSettings defaults(String nodeId, int port, String transferAddress)
    {
        return new ClusterSettings(nodeId, DEFAULT_CLUSTER_NAME, DEFAULT_BIND_HOST, Optional.empty(), port, List.of(), Optional.empty(),
                DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_FAILURE_TIMEOUT, 1, 1, transferAddress, DEFAULT_STANDBY_REFRESH,
                DEFAULT_HANDOVER_TIMEOUT, DEFAULT_POLL_INTERVAL, FormatVersions.forThisBuild());
    }

    public ClusterSettings withClusterName(String value)
    {
        return new ClusterSettings(nodeId, value, bindHost, publicAddress, port, members, kubernetes, heartbeatInterval, failureTimeout,
                minSize, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withBinding(String host, Optional<String> publicAddressValue)
    {
        return new ClusterSettings(nodeId, clusterName, host, publicAddressValue, port, members, kubernetes, heartbeatInterval,
                failureTimeout, minSize, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withMembers(List<String> value)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, value, kubernetes, heartbeatInterval, failureTimeout,
                minSize, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withKubernetes(KubernetesDiscovery value)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, Optional.of(value), heartbeatInterval,
                failureTimeout, minSize, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withFailureDetection(Duration heartbeat, Duration timeout)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, kubernetes, heartbeat, timeout, minSize,
                standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withMinSize(int value)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, kubernetes, heartbeatInterval, failureTimeout,
                value, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withStandbyReplicas(int value)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, kubernetes, heartbeatInterval, failureTimeout,
                minSize, value, transferAddress, standbyRefresh, handoverTimeout, pollInterval, formats);
    }

    public ClusterSettings withTimings(Duration refresh, Duration handover, Duration poll)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, kubernetes, heartbeatInterval, failureTimeout,
                minSize, standbyReplicas, transferAddress, refresh, handover, poll, formats);
    }

    public ClusterSettings withFormats(FormatVersions value)
    {
        return new ClusterSettings(nodeId, clusterName, bindHost, publicAddress, port, members, kubernetes, heartbeatInterval, failureTimeout,
                minSize, standbyReplicas, transferAddress, standbyRefresh, handoverTimeout, pollInterval, value);
    }

    /** The {@code host:port} peers use for this member: the public address (port added if missing), else bind host and port. */
    public String advertisedMemberAddress()
    {
        if (publicAddress.isPresent()) {
            String address = publicAddress.get();
            return address.contains(":") ? address : address + ":" + port;
        }
        return bindHost + ":" + port;
    }

    static boolean isWildcard(String host)
    {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }

    private static void requireText(String value, String key, String hint)
    {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing: set " + hint);
        }
    }

    private static void requirePositive(Duration value, String key)
    {
        requireNonNull(value, key + " is null");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static void requireHostPort(String value, String key)
    {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is missing: set host:port");
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(key + " entry '" + value + "' is not host:port (for example 10.0.0.7:5701)");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " entry '" + value + "' has no numeric port (for example 10.0.0.7:5701; ranges are not allowed)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + " entry '" + value + "' has port " + port + " outside 1-65535");
        }
    }
}
