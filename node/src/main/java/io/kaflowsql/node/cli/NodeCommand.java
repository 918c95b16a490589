package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.CompiledPipeline;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.ConfigException;
import io.kaflowsql.node.config.ConfigOverrides;
import io.kaflowsql.node.config.LoggingConfigurator;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.config.NodeConfigLoader;
import io.kaflowsql.node.internal.runtime.KaflowNode;
import io.kaflowsql.node.internal.runtime.PipelineDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kaflowsql node}: one node against an external Kafka. Flags override the config file, which
 * overrides the environment ({@code KAFKA_BROKERS}, {@code SCHEMA_REGISTRY_URL}, {@code LOG_LEVEL}).
 * Stops cleanly (commit, close state) on SIGTERM or Ctrl-C.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run one KaflowSQL node against an external Kafka cluster.")
public final class NodeCommand
        implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Node configuration YAML (optional when flags and environment say enough).")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where task state (RocksDB) lives.")
    Path stateDir;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Port of /health, /ready and /metrics.")
    Integer httpPort;

    @Option(names = "--pipelines", paramLabel = "DIR|FILE", description = "Pipeline files to run (a directory of *.yaml, or one file).")
    Path pipelines;

    @Option(names = "--format", paramLabel = "json|avro", description = "Override every pipeline's output format.")
    OutputFormat format;

    @Option(names = "--processing-guarantee", paramLabel = "exactly_once|at_least_once",
            description = "Override processing.guarantee (default exactly_once).", converter = GuaranteeConverter.class)
    ProcessingGuarantee guarantee;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's id in the cluster (default: the host name).")
    String nodeId;

    @Option(names = "--cluster-host", paramLabel = "HOST", description = "Address the cluster and admin ports bind to and peers reach this node at.")
    String clusterHost;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "Hazelcast member port; giving it makes this node a cluster member.")
    Integer clusterPort;

    @Option(names = "--cluster-members", paramLabel = "HOST:PORT,...", split = ",", description = "Members to join (TCP/IP discovery).")
    List<String> clusterMembers;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "gRPC port of the admin API and of node-to-node state transfer (default 9090).")
    Integer adminPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws InterruptedException
    {
        NodeConfig nodeConfig;
        List<CompiledPipeline> compiled;
        try {
            ConfigOverrides overrides = ConfigOverrides.none();
            if (bootstrapServers != null) {
                overrides = overrides.withBootstrapServers(bootstrapServers);
            }
            if (stateDir != null) {
                overrides = overrides.withStateDir(stateDir);
            }
            if (httpPort != null) {
                overrides = overrides.withHttpPort(httpPort);
            }
            if (pipelines != null) {
                overrides = overrides.withPipelinesDir(pipelines);
            }
            if (guarantee != null) {
                overrides = overrides.withGuarantee(guarantee);
            }
            overrides = clusterOverrides(overrides);
            nodeConfig = NodeConfigLoader.load(Optional.ofNullable(config), System.getenv(), overrides);
            LoggingConfigurator.apply(nodeConfig.logging());
            Path pipelineDir = nodeConfig.pipelines().dir().orElseThrow(() -> new ConfigException(
                    "no pipelines to run: pass --pipelines DIR or set pipelines.dir in the config"));
            compiled = PipelineDirectory.load(pipelineDir, definition -> format == null ? definition : definition.withOutputFormat(format));
            OutputFormats.requireRegistryForAvro(compiled, nodeConfig);
        }
        catch (ConfigException | ConfigurationException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("kaflowsql node: " + e.getMessage());
            return 2;
        }
        KaflowNode node;
        try {
            node = KaflowNode.start(nodeConfig, compiled, Clock.systemUTC());
        }
        catch (java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("kaflowsql node: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "kaflowsql-shutdown"));
        stopped.await();
        return 0;
    }

    private ConfigOverrides clusterOverrides(ConfigOverrides overrides)
    {
        ConfigOverrides result = overrides;
        if (nodeId != null) {
            result = result.withNodeId(nodeId);
        }
        if (clusterHost != null) {
            result = result.withClusterHost(clusterHost);
        }
        if (clusterPort != null) {
            result = result.withClusterPort(clusterPort);
        }
        if (clusterMembers != null) {
            result = result.withClusterMembers(clusterMembers);
        }
        if (adminPort != null) {
            result = result.withAdminPort(adminPort);
        }
        return result;
    }

    /** Accepts the config spellings ({@code exactly_once}, {@code at-least-once}, any case). */
    static final class GuaranteeConverter
            implements CommandLine.ITypeConverter<ProcessingGuarantee>
    {
        @Override
        public ProcessingGuarantee convert(String value)
        {
            return ProcessingGuarantee.fromConfigName(value)
                    .orElseThrow(() -> new CommandLine.TypeConversionException("expected exactly_once or at_least_once, got '" + value + "'"));
        }
    }
}
