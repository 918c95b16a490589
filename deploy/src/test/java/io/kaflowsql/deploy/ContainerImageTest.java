package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.deploy.OciImageLayout.LayerFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image tarball the build writes (deploy/target/kaflowsql-image.tar) is a well-formed OCI image whose config runs the
 * node as a non-root user with the seed's layout, and whose layers hold the application and a runtime for it.
 */
@DisabledIfSystemProperty(named = "kaflowsql.image.skip", matches = "true", disabledReason = "built with -Djib.skip=true")
class ContainerImageTest
{
    private static OciImageLayout image;

    @BeforeAll
    static void unpack()
    {
        assertThat(Repository.imageTarball()).as("the image tarball (jib:buildTar runs before the tests)").isRegularFile();
        image = OciImageLayout.shared();
    }

    @Test
    void isAnOciImageLayoutWhoseBlobsMatchTheirDigests()
            throws Exception
    {
        assertThat(Files.readString(image.directory().resolve("oci-layout"))).contains("\"imageLayoutVersion\"").contains("1.0.0");
        assertThat(image.index().path("manifests")).hasSize(1);
        assertThat(image.manifest().path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(image.manifest().path("config").path("mediaType").asText()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(image.config().path("os").asText()).isEqualTo("linux");
        assertThat(image.config().path("architecture").asText()).isEqualTo("amd64");

        List<String> descriptors = new ArrayList<>();
        descriptors.add(image.index().path("manifests").path(0).path("digest").asText());
        descriptors.add(image.manifest().path("config").path("digest").asText());
        image.manifest().path("layers").forEach(layer -> descriptors.add(layer.path("digest").asText()));
        for (String digest : descriptors) {
            assertThat(OciImageLayout.sha256(image.blob(digest), false)).as("content of blob %s", digest).isEqualTo(digest);
        }
        // Each layer's uncompressed digest is the diff id the config lists, in the same order.
        List<String> diffIds = new ArrayList<>();
        image.config().path("rootfs").path("diff_ids").forEach(id -> diffIds.add(id.asText()));
        assertThat(image.layers().stream().map(layer -> OciImageLayout.sha256(layer, true)).collect(Collectors.toList())).isEqualTo(diffIds);
    }

    @Test
    void runsAsTheNonRootUserItsPasswdNames()
    {
        String user = image.config().path("config").path("User").asText();
        assertThat(user).isEqualTo("10001:10001");
        String passwd = new String(image.read("etc/passwd"), StandardCharsets.UTF_8);
        assertThat(passwd.lines()).anyMatch(line -> line.startsWith("kaflowsql:x:10001:10001:"));
        assertThat(image.files().values()).noneMatch(file -> (file.mode() & 06000) != 0);
    }

    @Test
    void startsTheNodeWithTheConfigAndPipelinesWhereTheSeedsComposeExampleMountsThem()
    {
        JsonNode config = image.config().path("config");
        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).endsWith("io.kaflowsql.node.cli.KaflowSql")
                .contains("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp");
        assertThat(strings(config.path("Cmd"))).containsExactly("node", "--config", "/app/config.yaml", "--pipelines", "/app/pipelines");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/var/lib/kaflowsql");
        assertThat(strings(config.path("Env"))).contains("PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java");
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactlyInAnyOrder("8080/tcp", "9090/tcp", "5701/tcp");
    }

    @Test
    void holdsTheNodeItsLibrariesAndAJavaRuntime()
    {
        Map<String, LayerFile> files = image.files();
        assertThat(files.keySet()).anyMatch(path -> path.matches("app/libs/kaflowsql-node.*\\.jar"))
                .anyMatch(path -> path.matches("app/libs/kaflowsql-engine-.*\\.jar"))
                .anyMatch(path -> path.matches("app/libs/kaflowsql-coordinator-.*\\.jar"))
                .anyMatch(path -> path.matches("app/libs/rocksdbjni-.*\\.jar"))
                .contains("opt/java/lib/modules", "lib64/ld-linux-x86-64.so.2", "app/config.yaml", "etc/nsswitch.conf");
        assertThat(files.get("opt/java/bin/java").executable()).isTrue();
        assertThat(files.get("lib64/ld-linux-x86-64.so.2").executable()).isTrue();
        assertThat(files.keySet()).as("RocksDB's JNI library links libstdc++").anyMatch(path -> path.endsWith("/libstdc++.so.6"));
        // The classpath file names every jar of app/libs.
        String classpath = new String(image.read("app/jib-classpath-file"), StandardCharsets.UTF_8).strip();
        List<String> jars = files.keySet().stream().filter(path -> path.startsWith("app/libs/")).map(path -> "/" + path).toList();
        assertThat(List.of(classpath.split(":"))).containsAll(jars);
    }

    @Test
    void holdsEveryJarOfTheNodesRuntimeClasspath()
            throws Exception
    {
        // A dependency the deploy module redeclares with test scope drops out of the image: this catches it.
        List<String> runtime = List.of(Files.readString(Repository.file("node/target/classpath.txt")).strip().split(":")).stream()
                .map(jar -> Path.of(jar).getFileName().toString()).toList();
        List<String> libs = image.files().keySet().stream().filter(path -> path.startsWith("app/libs/"))
                .map(path -> path.substring("app/libs/".length())).toList();

        assertThat(runtime).isNotEmpty();
        assertThat(libs).containsAll(runtime).contains("kaflowsql-node.jar");
    }

    @Test
    void leavesOnlyTmpAndTheStateDirectoryWritableByTheNonRootUser()
    {
        Map<String, LayerFile> files = image.files();
        assertThat(files.get("tmp").directory()).isTrue();
        assertThat(files.get("tmp").mode() & 0777).isEqualTo(0777);
        assertThat(files.get("var/lib/kaflowsql").directory()).isTrue();
        assertThat(files.get("var/lib/kaflowsql").mode() & 0777).isEqualTo(0777);
        assertThat(files.values().stream().filter(file -> (file.mode() & 0002) != 0).map(LayerFile::path))
                .containsExactlyInAnyOrder("tmp", "var/lib/kaflowsql");
        assertThat(files.values()).allMatch(file -> file.uid() == 0 && file.gid() == 0);
    }

    @Test
    void defaultConfigPointsAtTheMountedPipelinesAndTheStateDirectory()
    {
        Map<String, Object> config = new Yaml().load(new String(image.read("app/config.yaml"), StandardCharsets.UTF_8));
        assertThat(config).containsEntry("state", Map.of("dir", "/var/lib/kaflowsql"))
                .containsEntry("pipelines", Map.of("dir", "/app/pipelines"))
                .containsEntry("http", Map.of("port", 8080));
    }

    static List<String> strings(JsonNode array)
    {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
