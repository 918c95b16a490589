package io.kaflowsql.node.bench;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Node configs and seed-pipeline variants for the benchmarks. Each benchmark run gets its own cluster
 * name (so its own changelog topic and transactional ids), consumer group, state directory and output
 * topic, so runs on one broker never see each other's offsets, state or results. Stateless; thread-safe.
 */
final class BenchNodes
{
    private BenchNodes() {}

    /** A node of cluster {@code cluster} (consumer group of the same name) with HTTP on a free port. */
    static NodeConfig config(String bootstrapServers, String cluster, Path stateDir, ProcessingGuarantee guarantee, Duration commitInterval)
    {
        requireNonNull(guarantee, "guarantee is null");
        NodeConfig defaults = NodeConfig.defaults();
        return new NodeConfig(new NodeConfig.ClusterSettings(cluster).withAdminPort(0), new NodeConfig.KafkaSettings(bootstrapServers, cluster, Map.of()),
                defaults.schemaRegistry(), new NodeConfig.StateSettings(stateDir), new NodeConfig.ProcessingSettings(guarantee, commitInterval),
                defaults.checkpoint(), new NodeConfig.HttpSettings(0), defaults.pipelines(), defaults.logging());
    }

    /**
     * The seed pipeline verbatim (output as JSON: Avro needs a registry) except that it reads clicks from
     * {@code clicksTopic} and writes {@code outputTopic}. Fails if the seed file no longer has the text
     * replaced here, rather than silently benchmarking the wrong topics.
     */
    static CompiledPipeline seedPipeline(Path seedYaml, String clicksTopic, String outputTopic)
            throws IOException
    {
        String text = seedPipelineText(seedYaml, clicksTopic, outputTopic);
        return new PipelineLoader().load(text, seedYaml.toString(), definition -> definition.withOutputFormat(OutputFormat.JSON));
    }

    /**
     * The text of {@link #seedPipeline}, for node processes that read pipeline files (their output format
     * is set by {@code --format json}).
     */
    static String seedPipelineText(Path seedYaml, String clicksTopic, String outputTopic)
            throws IOException
    {
        String text = Files.readString(seedYaml);
        text = replace(text, "FROM clickstreams ", "FROM " + clicksTopic + " ");
        text = replace(text, "      clickstreams: 1h", "      " + clicksTopic + ": 1h");
        return replace(text, "topic: personalized_events", "topic: " + outputTopic);
    }

    /** Index of {@code topic} among the pipeline's sources (0 is the driving stream). */
    static int sourceIndex(CompiledPipeline pipeline, String topic)
    {
        return pipeline.sources().stream()
                .filter(source -> source.topic().equals(topic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("pipeline " + pipeline.name() + " does not read " + topic))
                .index();
    }

    private static String replace(String text, String target, String replacement)
    {
        if (!text.contains(target)) {
            throw new IllegalStateException("seed pipeline no longer contains '" + target + "'");
        }
        return text.replace(target, replacement);
    }
}
