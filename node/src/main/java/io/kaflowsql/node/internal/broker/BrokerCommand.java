package io.kaflowsql.node.internal.broker;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code kaflowsql broker}: runs the embedded Kafka broker as its own process, for a demo or a local
 * cluster of nodes. Prints exactly one line, {@code Kafka broker ready at 127.0.0.1:<port>}, once
 * clients can connect (scripts wait for it), then runs until SIGTERM or Ctrl-C, when a shutdown hook
 * stops the broker cleanly so the next start on the same directory keeps the data.
 *
 * <p>Not thread-safe; picocli calls {@link #call()} once.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = "Runs a single-node Apache Kafka broker (KRaft) on 127.0.0.1 for demos and local clusters.")
public final class BrokerCommand
        implements Callable<Integer>
{
    @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data-dir", defaultValue = "./data/broker", description = "Broker data directory, kept across restarts. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of auto-created topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    private final PrintStream out;

    public BrokerCommand()
    {
        this(System.out);
    }

    BrokerCommand(PrintStream out)
    {
        this.out = out;
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new BrokerCommand()).execute(args));
    }

    @Override
    public Integer call()
            throws InterruptedException
    {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port, partitions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            }
            finally {
                stopped.countDown();
            }
        }, "kafka-broker-shutdown"));
        out.println("Kafka broker ready at " + broker.bootstrapServers());
        out.flush();
        stopped.await();
        return 0;
    }
}
