package io.kaflowsql.coordinator.cluster;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Kubernetes discovery through Hazelcast's built-in plugin. With {@code serviceDns} set, members are found by a
 * DNS lookup of the (headless) service; with only {@code namespace}, through the Kubernetes API (the pod's
 * service account must be allowed to list endpoints). Immutable.
 *
 * @param serviceDns the headless service's DNS name, e.g. {@code kaflowsql.default.svc.cluster.local}
 * @param namespace the namespace to look in (API mode)
 */
public record KubernetesDiscovery(Optional<String> serviceDns, Optional<String> namespace)
{
    public KubernetesDiscovery
    {
        requireNonNull(serviceDns, "serviceDns is null");
        requireNonNull(namespace, "namespace is null");
        serviceDns = serviceDns.filter(value -> !value.isBlank());
        namespace = namespace.filter(value -> !value.isBlank());
        if (serviceDns.isEmpty() && namespace.isEmpty()) {
            throw new IllegalArgumentException("cluster.kubernetes needs a service DNS name or a namespace (or both)");
        }
    }

    public static KubernetesDiscovery serviceDns(String serviceDns)
    {
        return new KubernetesDiscovery(Optional.of(serviceDns), Optional.empty());
    }

    public static KubernetesDiscovery namespace(String namespace)
    {
        return new KubernetesDiscovery(Optional.empty(), Optional.of(namespace));
    }
}
