package io.kaflowsql.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka broker of a chaos test as its own process ({@code kaflowsql broker}, the embedded single-node KRaft
 * broker), so a fault can kill it, stop it or pause it like any node. Every incarnation uses the same host, port and
 * data directory: clients keep their bootstrap address across a bounce, and the topics, records, committed offsets
 * and transaction state survive it (a SIGKILL loses nothing the broker acknowledged: its writes are in the page
 * cache, only a machine crash would lose them).
 *
 * <p>Not thread-safe: one scenario thread drives it.
 */
final class BrokerProcess
        implements AutoCloseable
{
    static final String READY_LINE = "Kafka broker ready at";
    private static final String MAIN_CLASS = "io.kaflowsql.node.cli.KaflowSql";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int partitions;
    private NodeProcess process;
    private int starts;

    private BrokerProcess(Path dataDir, String host, int port, int partitions)
    {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.partitions = partitions;
    }

    /** Starts the first incarnation and waits until clients can connect. */
    static BrokerProcess start(Path dataDir, String host, int port, int partitions)
            throws InterruptedException
    {
        BrokerProcess broker = new BrokerProcess(dataDir, host, port, partitions);
        broker.startAgain();
        return broker;
    }

    /** Starts a new incarnation on the same host, port and data directory; waits until clients can connect. */
    void startAgain()
            throws InterruptedException
    {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker still runs (pid " + process.pid() + ")");
        }
        starts++;
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS, "broker",
                "--host", host, "--port", Integer.toString(port), "--data-dir", dataDir.toString(), "--partitions", Integer.toString(partitions));
        mkdirs(dataDir.resolve("tmp"));
        process = NodeProcess.start("broker#" + starts, command, dataDir.resolve("broker-" + starts + ".log"), READY_LINE);
        if (!process.awaitReady(READY_TIMEOUT)) {
            String tail = String.join("\n", process.tail(60));
            process.close();
            throw new IllegalStateException("broker#" + starts + " not ready within " + READY_TIMEOUT.toSeconds() + " s:\n" + tail);
        }
    }

    String bootstrapServers()
    {
        return host + ":" + port;
    }

    /** The broker's log directory: {@code <topic>-<partition>/*.log} segment files. */
    Path logDir()
    {
        return dataDir.resolve("kafka-logs");
    }

    boolean isAlive()
    {
        return process != null && process.isAlive();
    }

    long pid()
    {
        return process.pid();
    }

    /** SIGKILL; waits until the process is gone. */
    void kill()
            throws InterruptedException
    {
        process.kill();
    }

    /** SIGTERM: the broker closes its logs cleanly; fails if it does not exit in time. */
    void stop()
            throws InterruptedException
    {
        process.resume();
        if (!process.stop(STOP_TIMEOUT)) {
            throw new IllegalStateException("broker#" + starts + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
        }
    }

    void pause()
    {
        process.pause();
    }

    void resume()
    {
        process.resume();
    }

    int starts()
    {
        return starts;
    }

    /** The last lines of the current incarnation. */
    List<String> tail(int lines)
    {
        return process == null ? List.of() : process.tail(lines);
    }

    private static void mkdirs(Path path)
    {
        try {
            Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the broker if it still runs (resumed first, in case a fault left it paused). */
    @Override
    public void close()
            throws InterruptedException
    {
        if (process != null) {
            process.resume();
            process.close();
        }
    }
}
