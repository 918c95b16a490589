package io.kaflowsql.node.internal.runtime;

import io.kaflowsql.node.internal.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kaflowsql node} as a real process: one ready line, then a clean stop on SIGTERM. */
class NodeProcessTest
{
    @Test
    void nodeProcessLogsReadyAndStopsCleanlyOnSigterm(@TempDir Path dir)
            throws Exception
    {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("broker"), 0, 2)) {
            broker.createTopics(Map.of("clickstreams", 2, "user_profiles", 2, "products", 2, "purchase_history", 2), Map.of());
            Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
            Files.copy(BrokerFixture.SEED_PIPELINE, pipelines.resolve("personalization.yaml"));
            Process process = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "io.kaflowsql.node.cli.KaflowSql", "node",
                    "--bootstrap-servers", broker.bootstrapServers(),
                    "--pipelines", pipelines.toString(),
                    "--state-dir", dir.resolve("state").toString(),
                    "--http-port", "0",
                    "--format", "json"))
                    .redirectErrorStream(true)
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    output.lines().forEach(lines::add);
                }
                catch (java.io.IOException e) {
                    lines.add("reader failed: " + e);
                }
            });
            reader.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (lines.stream().noneMatch(line -> line.contains("KaflowSQL node ready"))) {
                assertThat(process.isAlive()).as("node process alive; output so far:%n%s", String.join("\n", lines)).isTrue();
                assertThat(System.nanoTime()).as("node ready in time; output so far:%n%s", String.join("\n", lines)).isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(lines.stream().filter(line -> line.contains("KaflowSQL node ready"))).hasSize(1);

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("personalization_engine committed and stopped"));
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("state committed and closed"));
            assertThat(lines).noneSatisfy(line -> assertThat(line).contains("Exception"));
        }
    }
}
