package io.kaflowsql.node.cli;

import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.config.ConfigurationException;
import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.node.internal.demo.DemoRunner;
import io.kaflowsql.node.internal.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code kaflowsql demo}: the embedded default. Starts a real Kafka broker in this process, generates
 * personalization traffic, runs the seed pipeline and prints a live summary until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the personalization demo on an embedded Kafka broker with generated traffic.")
public final class DemoCommand
        implements Callable<Integer>
{
    @Option(names = "--users", defaultValue = "1000", description = "User profiles to generate (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--products", defaultValue = "500", description = "Products to generate (default ${DEFAULT-VALUE}).")
    int products;

    @Option(names = {"--rate", "--events-per-second"}, defaultValue = "200", description = "Clickstream events per second (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|avro",
            description = "Output format (default ${DEFAULT-VALUE}). avro starts an embedded Confluent-compatible schema registry, "
                    + "writes the output as Avro and produces clickstreams and user profiles as Avro (products and purchase history stay JSON).")
    OutputFormat format;

    @Option(names = "--schema-registry-port", defaultValue = "8081",
            description = "Port of the embedded schema registry with --format avro (default ${DEFAULT-VALUE}; 0 = any free port).")
    int schemaRegistryPort;

    @Option(names = "--pipeline", defaultValue = "pipelines/personalization/pipeline.yaml", description = "Pipeline file (default ${DEFAULT-VALUE}).")
    String pipeline;

    @Option(names = "--duration", description = "Stop after this long (e.g. 30s, 5m); default: until Ctrl-C.")
    String duration;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port for /health, /ready and /metrics (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(names = "--data-dir", description = "Keep broker data and state here (default: a temporary directory, removed at exit).")
    Path dataDir;

    @Option(names = "--samples", defaultValue = "2", description = "Sample enriched events per summary (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--nodes", defaultValue = "1",
            description = "Nodes to run: 1 runs it in this process; more start that many node processes as one cluster (default ${DEFAULT-VALUE}).")
    int nodes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        Optional<Duration> runFor = Optional.empty();
        if (duration != null) {
            runFor = Optional.of(Durations.parse(duration).orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--duration takes a duration such as 30s, 5m or 1h, got '" + duration + "'")));
        }
        DemoSettings settings = new DemoSettings(users, products, rate, partitions, format, pipeline, runFor, httpPort, schemaRegistryPort,
                Optional.ofNullable(dataDir), samples, Duration.ofSeconds(nodes > 1 ? 5 : 2), Duration.ZERO, nodes);
        return run(settings);
    }

    /**
     * Runs a demo (or load test) until it ends or Ctrl-C; the hook lets a Ctrl-C stop it cleanly. It waits long
     * enough for {@code --nodes N} to stop its node processes (each drains and leaves; up to 90 s), which would
     * otherwise outlive the demo.
     */
    static int run(DemoSettings settings)
            throws Exception
    {
        DemoRunner demo = new DemoRunner(settings, System.out, Clock.systemUTC());
        // not a join on the main thread: after run returns, main calls System.exit, which blocks while this hook runs
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.stop();
            try {
                finished.await(settings.nodes() > 1 ? 120 : 20, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kaflowsql-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long written = demo.run();
            System.out.println("Demo stopped: " + written + " enriched events written.");
            return 0;
        }
        catch (ConfigurationException | IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("kaflowsql demo: " + e.getMessage());
            return 2;
        }
        finally {
            finished.countDown();
            removeHook(hook);
        }
    }

    private static void removeHook(Thread hook)
    {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException e) {
            // already shutting down (Ctrl-C): the hook is running and waits for us
        }
    }
}
