package io.kaflowsql.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kaflowsql.node.config.ConfigOverrides;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.config.NodeConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The Helm chart (deploy/helm/kaflowsql), rendered and linted by Helm's own code (helm-java: no helm binary, no cluster),
 * bound strictly to the Kubernetes API types ({@link KubernetesSchema}), and checked for what the deployment relies on.
 * The plain manifests (deploy/kubernetes/kaflowsql.yaml) must be the chart's rendering with its default values.
 */
class KubernetesManifestsTest
{
    private static final Path CHART = Repository.file("deploy/helm/kaflowsql");
    private static final Path PLAIN_MANIFESTS = Repository.file("deploy/kubernetes/kaflowsql.yaml");

    @Test
    void chartPassesHelmLintStrict()
    {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void plainManifestsAreTheChartRenderedWithItsDefaults()
            throws IOException
    {
        String rendered = render(Function.identity());
        List<Object> expected = documents(rendered);
        List<Object> actual = documents(Files.readString(PLAIN_MANIFESTS, StandardCharsets.UTF_8));
        if (!actual.equals(expected)) {
            Path output = Repository.file("deploy/target/kaflowsql-rendered.yaml");
            Files.createDirectories(output.getParent());
            Files.writeString(output, rendered, StandardCharsets.UTF_8);
            fail("deploy/kubernetes/kaflowsql.yaml differs from the chart's rendering; if the chart is right, copy " + output + " over it");
        }
    }

    @Test
    void everyRenderedManifestBindsToItsKubernetesApiType()
    {
        for (String variant : List.of("defaults", "with a token value and 5 replicas")) {
            String rendered = variant.equals("defaults") ? render(Function.identity())
                    : render(command -> command.set("adminToken.value", "s3cret").set("replicaCount", 5).set("pipelines.extra\\.yaml", "name: x"));
            List<HasMetadata> objects = bindAll(rendered);
            assertThat(objects).as(variant).extracting(HasMetadata::getKind)
                    .contains("StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget");
        }
    }

    @Test
    void statefulSetGivesEachNodeAVolumeStableNameProbesAndADrainingPreStop()
    {
        List<HasMetadata> objects = bindAll(render(Function.identity()));
        StatefulSet statefulSet = only(objects, StatefulSet.class);
        Service headless = named(objects, Service.class, "kaflowsql-headless");
        PodSpec pod = statefulSet.getSpec().getTemplate().getSpec();
        Container node = pod.getContainers().get(0);

        assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
        assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(headless.getMetadata().getName());
        assertThat(statefulSet.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(statefulSet.getSpec().getSelector().getMatchLabels()).isEqualTo(headless.getSpec().getSelector());
        assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(headless.getSpec().getSelector());
        assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(claim -> assertThat(claim.getMetadata().getName()).isEqualTo("state"));
        assertThat(node.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath)
                .contains(tuple("state", "/var/lib/kaflowsql"), tuple("tmp", "/tmp"));

        assertThat(node.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(node.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(node.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(node.getPorts()).extracting(port -> port.getName() + ":" + port.getContainerPort())
                .containsExactlyInAnyOrder("http:8080", "admin:9090", "hazelcast:5701");

        List<String> preStop = node.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop).containsSequence("io.kaflowsql.node.cli.KaflowSql", "admin", "--server", "127.0.0.1:9090", "drain");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(Long.parseLong(preStop.get(preStop.size() - 1)) + 60);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(node.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();

        PodDisruptionBudget budget = only(objects, PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(statefulSet.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void seedDeploymentSettingsCarryOver()
    {
        StatefulSet statefulSet = only(bindAll(render(Function.identity())), StatefulSet.class);
        Container node = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(node.getResources().getRequests()).containsEntry("memory", new Quantity("3Gi"))
                .containsEntry("cpu", new Quantity("1000m"));
        assertThat(node.getResources().getLimits()).containsEntry("memory", new Quantity("6Gi"))
                .containsEntry("cpu", new Quantity("2000m"));
        assertThat(node.getEnv()).extracting(EnvVar::getName, EnvVar::getValue).contains(
                tuple("KAFKA_BROKERS", "kafka-cluster:9092"),
                tuple("SCHEMA_REGISTRY_URL", "http://schema-registry:8081"));
        assertThat(node.getImage()).isEqualTo("kaflowsql:" + Repository.version());
        EnvVar token = node.getEnv().stream().filter(env -> env.getName().equals("KAFLOWSQL_ADMIN_TOKEN")).findFirst().orElseThrow();
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kaflowsql-admin");
    }

    @Test
    void nodeConfigLoadsAsAKubernetesDiscoveredMemberWithAMajorityQuorum(@TempDir Path dir)
            throws IOException
    {
        ConfigMap config = named(bindAll(render(command -> command.set("replicaCount", 5))), ConfigMap.class, "kaflowsql-config");
        Path file = Files.writeString(dir.resolve("config.yaml"), config.getData().get("config.yaml"), StandardCharsets.UTF_8);

        NodeConfig loaded = NodeConfigLoader.load(Optional.of(file),
                Map.of("POD_NAMESPACE", "prod", "KAFKA_BROKERS", "kafka:9092", "KAFLOWSQL_ADMIN_TOKEN", "t"), ConfigOverrides.none());

        assertThat(loaded.cluster().clustered()).isTrue();
        assertThat(loaded.cluster().kubernetesServiceDns()).contains("kaflowsql-headless.prod.svc.cluster.local");
        assertThat(loaded.cluster().host()).isEqualTo("0.0.0.0");
        assertThat(loaded.cluster().minSize()).isEqualTo(3);
        assertThat(loaded.cluster().adminPort()).isEqualTo(9090);
        assertThat(loaded.state().dir()).isEqualTo(Path.of("/var/lib/kaflowsql"));
        assertThat(loaded.http().port()).isEqualTo(8080);
    }

    @Test
    void pipelinesConfigMapCarriesTheSeedPipelineVerbatimAndTheGivenOnes()
    {
        ConfigMap pipelines = named(bindAll(render(command -> command.set("pipelines.extra\\.yaml", "name: extra"))), ConfigMap.class,
                "kaflowsql-pipelines");

        assertThat(pipelines.getData().get("personalization.yaml")).isEqualTo(Repository.read("pipelines/personalization/pipeline.yaml"));
        assertThat(pipelines.getData().get("extra.yaml").strip()).isEqualTo("name: extra");
    }

    @Test
    void tokenValueCreatesTheSecretThePodsRead()
    {
        List<HasMetadata> objects = bindAll(render(command -> command.set("adminToken.value", "s3cret")));
        Secret secret = only(objects, Secret.class);
        EnvVar token = only(objects, StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("KAFLOWSQL_ADMIN_TOKEN")).findFirst().orElseThrow();

        assertThat(secret.getMetadata().getName()).isEqualTo("kaflowsql-admin").isEqualTo(token.getValueFrom().getSecretKeyRef().getName());
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    }

    @Test
    void chartAppVersionIsTheProjectVersion()
    {
        Map<String, Object> chart = new Yaml().load(Repository.read("deploy/helm/kaflowsql/Chart.yaml"));

        assertThat(chart).containsEntry("appVersion", Repository.version()).containsEntry("name", "kaflowsql");
    }

    private static String render(Function<TemplateCommand, TemplateCommand> values)
    {
        return values.apply(new Helm(CHART).template().withName("kaflowsql")).call();
    }

    private static List<Object> documents(String yaml)
    {
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(yaml).forEach(document -> {
            if (document != null) {
                documents.add(document);
            }
        });
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> bindAll(String rendered)
    {
        return documents(rendered).stream().map(document -> KubernetesSchema.bind((Map<String, Object>) document)).toList();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type)
    {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name)
    {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(object -> object.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }
}
