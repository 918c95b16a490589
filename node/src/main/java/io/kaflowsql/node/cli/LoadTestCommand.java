package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.node.internal.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code kaflowsql load-test}: the seed's load test. Same setup as the demo (embedded broker, or an existing
 * cluster with {@code --bootstrap}; generated data; the seed pipeline) at a fixed click rate for a fixed
 * time; prints throughput, join hit rates, the end-to-end latency from each click's record timestamp to its
 * enriched output being readable (read_committed consumer), after a warm-up, and memory.
 */
@Command(name = "load-test", mixinStandardHelpOptions = true,
        description = "Drive the personalization pipeline at a fixed rate and report end-to-end latency percentiles.")
public final class LoadTestCommand
        implements Callable<Integer>
{
    @Option(names = "--users", defaultValue = "100000", description = "User profiles (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "50000", description = "Products (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = {"--events-per-second", "--events_per_second", "--rate"}, defaultValue = "2000",
            description = "Clickstream events per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", description = "Measured run time after warm-up (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "15s", description = "Warm-up before latency is recorded (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Pipeline file (default ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--http-port", defaultValue = "0", description = "HTTP port (default: any free port).")
    int httpPort;

    @Option(names = "--data-dir", description = "Keep broker data and state here (default: a temporary directory).")
    Path dataDir;

    @Option(names = {"--bootstrap", "--bootstrap-servers"}, paramLabel = "HOST:PORT,...",
            description = "Run against this Kafka cluster instead of an embedded broker. Missing topics are created; existing ones are used as "
                    + "they are. The run uses a cluster name of its own (kaflowsql-loadtest-...), so it never fences a real deployment.")
    String bootstrap;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        Duration measured = duration("--duration", duration);
        Duration warm = duration("--warmup", warmup);
        DemoSettings settings = new DemoSettings(users, products, rate, partitions, OutputFormat.JSON, pipeline,
                Optional.of(measured.plus(warm)), httpPort, 0, Optional.ofNullable(dataDir), 0, Duration.ofSeconds(5), warm, 1,
                Optional.ofNullable(bootstrap));
        return DemoCommand.run(settings);
    }

    private Duration duration(String option, String text)
    {
        return Durations.parse(text).orElseThrow(() -> new ParameterException(spec.commandLine(),
                option + " takes a duration such as 30s, 5m or 1h, got '" + text + "'"));
    }
}
