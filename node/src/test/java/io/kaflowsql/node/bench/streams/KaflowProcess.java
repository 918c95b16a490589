package io.kaflowsql.node.bench.streams;

import io.kaflowsql.coordinator.net.FreePorts;
import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A one-node KaflowSQL cluster ({@code kaflowsql node} in its own JVM via {@link NodeJvm}, {@code --format json})
 * running the seed pipeline file verbatim except for its click and output topics. The cluster name and consumer
 * group are the run's name, so the stream consumer group is {@code <name>-personalization_engine}.
 * Thread-safe.
 */
final class KaflowProcess
        implements EngineProcess
{
    private static final String PIPELINE = "personalization_engine";

    private final String group;
    private final NodeJvm process;
    private final NodeHttpProbe probe;

    private KaflowProcess(String group, NodeJvm process, NodeHttpProbe probe)
    {
        this.group = group;
        this.process = process;
        this.probe = probe;
    }

    static KaflowProcess start(String bootstrapServers, RunSpec spec, Path seedPipeline)
            throws IOException
    {
        requireNonNull(spec, "spec is null");
        Path pipelines = Files.createDirectories(spec.dir().resolve("pipelines"));
        Files.createDirectories(spec.dir().resolve("tmp"));
        Files.writeString(pipelines.resolve("pipeline.yaml"), seedPipelineText(seedPipeline, spec.clicksTopic(), spec.outputTopic()));
        Path config = spec.dir().resolve("node.yaml");
        Files.writeString(config, String.join("\n",
                "cluster:",
                "  name: " + spec.name(),
                "  min-size: 1",
                "processing:",
                "  guarantee: " + spec.guarantee(),
                "  commit-interval: " + spec.commitIntervalMillis() + "ms",
                "kafka:",
                "  bootstrap-servers: \"" + bootstrapServers + "\"",
                "  consumer-group: " + spec.name(),
                "state: { dir: \"" + spec.dir().resolve("state") + "\" }",
                "pipelines: { dir: \"" + pipelines + "\" }",
                "logging: { level: INFO }",
                ""), StandardCharsets.UTF_8);
        int clusterPort = FreePorts.pick();
        int httpPort = FreePorts.pick();
        List<String> args = List.of("--config", config.toString(), "--node-id", "node-1", "--cluster-host", "127.0.0.1",
                "--cluster-port", Integer.toString(clusterPort), "--cluster-members", "127.0.0.1:" + clusterPort,
                "--admin-port", "0", "--http-port", Integer.toString(httpPort), "--format", "json");
        NodeJvm process = NodeJvm.start(spec.name(), spec.jvmFlags(), args, Map.of(), spec.dir().resolve("node.log"));
        return new KaflowProcess(spec.name() + "-" + PIPELINE, process, new NodeHttpProbe("127.0.0.1", httpPort));
    }

    /**
     * The seed pipeline's text with its click and output topics replaced. Fails if the seed no longer has the
     * text replaced here, rather than silently benchmarking the wrong topics.
     */
    static String seedPipelineText(Path seedYaml, String clicksTopic, String outputTopic)
            throws IOException
    {
        String text = Files.readString(seedYaml);
        text = replace(text, "FROM clickstreams ", "FROM " + clicksTopic + " ");
        text = replace(text, "      clickstreams: 1h", "      " + clicksTopic + ": 1h");
        return replace(text, "topic: personalized_events", "topic: " + outputTopic);
    }

    private static String replace(String text, String target, String replacement)
    {
        if (!text.contains(target)) {
            throw new IllegalStateException("seed pipeline no longer contains '" + target + "'");
        }
        return text.replace(target, replacement);
    }

    @Override
    public long pid()
    {
        return process.pid();
    }

    @Override
    public boolean alive()
    {
        return process.isAlive();
    }

    @Override
    public boolean ready()
    {
        return probe.ready();
    }

    @Override
    public String consumerGroup()
    {
        return group;
    }

    @Override
    public Path logFile()
    {
        return process.logFile();
    }

    @Override
    public void close()
    {
        if (process.isAlive()) {
            process.kill();
        }
    }
}
