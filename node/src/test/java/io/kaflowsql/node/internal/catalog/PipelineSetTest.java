package io.kaflowsql.node.internal.catalog;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.runtime.CheckpointSettings;
import io.kaflowsql.engine.api.runtime.PipelineRuntime;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.engine.api.runtime.RuntimeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the node's pipeline set follows catalog changes, without Kafka: runtimes are created but the recording starter
 * never runs them (a runtime that never started closes at once, as {@code STOPPED}).
 */
class PipelineSetTest
{
    private static final Path SEED = Path.of("../pipelines/personalization/pipeline.yaml");
    private static final Instant AT = Instant.parse("2026-11-25T03:00:00Z");

    @TempDir
    Path stateDir;

    private PipelineSet set;
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void createSet()
            throws Exception
    {
        RuntimeSettings settings = new RuntimeSettings("127.0.0.1:1", Map.of(), "test", "test", stateDir, ProcessingGuarantee.EXACTLY_ONCE,
                Duration.ofMillis(100), CheckpointSettings.DEFAULTS, Clock.systemUTC(), Optional.empty(), new SimpleMeterRegistry());
        CompiledPipeline file = new PipelineLoader().load(yaml("from_file", "v1"), "from_file.yaml");
        set = new PipelineSet(List.of(file), "pipelines.dir /etc/kaflowsql", pipeline -> new PipelineRuntime(pipeline, settings));
    }

    @AfterEach
    void closeSet()
    {
        set.close();
    }

    private void startSet()
    {
        set.startAll(runtime -> started.add(runtime.pipeline().name()), changes::incrementAndGet);
    }

    @Test
    void aDeployedEntryAddsAStartedCatalogPipelineAndATombstoneClosesIt()
            throws Exception
    {
        startSet();

        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1"), CatalogEntry.State.RUNNING, 1, AT)));
        PipelineRuntime clicks = set.runtime("clicks").orElseThrow();

        assertThat(set.names()).containsExactly("clicks", "from_file");
        assertThat(set.source("clicks")).contains(PipelineSet.Source.CATALOG);
        assertThat(set.source("from_file")).contains(PipelineSet.Source.FILE);
        assertThat(started).containsExactly("from_file", "clicks");

        set.changed("clicks", Optional.empty());

        assertThat(set.names()).containsExactly("from_file");
        assertThat(clicks.state()).isEqualTo(PipelineRuntime.State.STOPPED);
        assertThat(changes.get()).isEqualTo(2);
    }

    @Test
    void catalogPipelinesKnownBeforeTheStartStartWithTheFilePipelines()
            throws Exception
    {
        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1"), CatalogEntry.State.PAUSED, 2, AT)));

        assertThat(started).isEmpty();
        assertThat(set.runtime("clicks").orElseThrow().pauseRequested()).as("begins paused").isTrue();

        startSet();

        assertThat(started).containsExactly("clicks", "from_file");
    }

    @Test
    void aChangedYamlReplacesTheRuntimeAndTheSameYamlOnlyFollowsTheState()
            throws Exception
    {
        startSet();
        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1"), CatalogEntry.State.RUNNING, 1, AT)));
        PipelineRuntime first = set.runtime("clicks").orElseThrow();

        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1"), CatalogEntry.State.PAUSED, 2, AT)));

        assertThat(set.runtime("clicks")).containsSame(first);
        assertThat(first.pauseRequested()).isTrue();

        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v2"), CatalogEntry.State.PAUSED, 3, AT)));

        PipelineRuntime second = set.runtime("clicks").orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(first.state()).isEqualTo(PipelineRuntime.State.STOPPED);
        assertThat(second.pauseRequested()).as("a replaced pipeline keeps its state").isTrue();
        assertThat(started).containsExactly("from_file", "clicks", "clicks");
    }

    @Test
    void aYamlThatDoesNotCompileKeepsWhatRanBefore()
            throws Exception
    {
        startSet();
        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1"), CatalogEntry.State.RUNNING, 1, AT)));
        PipelineRuntime running = set.runtime("clicks").orElseThrow();

        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("clicks", "v1").replace("window:", "windw:"), CatalogEntry.State.RUNNING, 2, AT)));
        set.changed("clicks", Optional.of(CatalogEntry.deployed("clicks", yaml("other", "v1"), CatalogEntry.State.RUNNING, 3, AT)));

        assertThat(set.runtime("clicks")).containsSame(running);
        assertThat(running.state()).isEqualTo(PipelineRuntime.State.CREATED);
    }

    @Test
    void fileDefinedPipelinesOnlyFollowTheCatalogState()
            throws Exception
    {
        startSet();
        PipelineRuntime file = set.runtime("from_file").orElseThrow();

        set.changed("from_file", Optional.of(CatalogEntry.stateOnly("from_file", CatalogEntry.State.PAUSED, 1, AT)));
        assertThat(file.pauseRequested()).isTrue();

        set.changed("from_file", Optional.of(CatalogEntry.deployed("from_file", yaml("from_file", "v2"), CatalogEntry.State.RUNNING, 2, AT)));
        assertThat(set.runtime("from_file")).as("the file wins over a catalog YAML").containsSame(file);
        assertThat(file.pauseRequested()).isFalse();

        set.changed("from_file", Optional.of(CatalogEntry.stateOnly("from_file", CatalogEntry.State.PAUSED, 3, AT)));
        set.changed("from_file", Optional.empty());
        assertThat(file.pauseRequested()).as("no entry: runs").isFalse();
        assertThat(set.isFile("from_file")).isTrue();
        assertThat(set.isFile("clicks")).isFalse();
        assertThat(set.fileOrigin()).isEqualTo("pipelines.dir /etc/kaflowsql");
    }

    /** The seed pipeline named {@code name}; versions differ only in a metric's description. */
    private static String yaml(String name, String version)
            throws Exception
    {
        return Files.readString(SEED)
                .replace("name: personalization_engine", "name: " + name)
                .replace("description: Mean category affinity", "description: (" + version + ") Mean category affinity")
                .replace("  format: avro", "  format: json");
    }
}
