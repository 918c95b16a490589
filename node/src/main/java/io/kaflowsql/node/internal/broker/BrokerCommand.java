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
 * cluster of nodes. Prints exactly one line, {@code Kafka broker ready at <host>:<port>}, once
 * clients can connect (scripts wait for it), then runs until SIGTERM or Ctrl-C, when a shutdown hook
 * stops the broker cleanly so the next start on the same directory keeps the data. Started again with the
 * same {@code --port} and {@code --data-dir} (after a clean stop or a SIGKILL) it serves the same topics
 * and records at the same address, which is how the chaos tests bounce it.
 *
 * <p>Not thread-safe; picocli calls {@link #call()} once.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = "Runs a single-node Apache Kafka broker (KRaft) for demos and local clusters (on 127.0.0.1 unless --host says otherwise).")
public final class BrokerCommand
        implements Callable<Integer>
{
    @Option(names = "--port", defaultValue = "9092", description = "Client port (0 = any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Local address the client listener binds and advertises, e.g. a bridge address that nodes in network namespaces reach. Default: ${DEFAULT-VALUE}.")
    String host;

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
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, host, port, partitions);
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
