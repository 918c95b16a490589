package io.kaflowsql.node.bench.streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One engine under test running in its own JVM on the benchmark's broker: a KaflowSQL node or the Kafka
 * Streams application, reading one click topic and writing one output topic under a consumer group of its
 * own. The benchmark drives both through this contract so they are measured the same way.
 *
 * <p>Implementations are thread-safe (every call reads the process or its files afresh).
 */
interface EngineProcess
        extends AutoCloseable
{
    /** Process id, for {@link ProcessStats}. */
    long pid();

    boolean alive();

    /** Whether the engine says it is ready: the node's {@code /ready}, Streams' RUNNING state. */
    boolean ready();

    /** The consumer group whose committed offsets on the click topic say how far the engine got. */
    String consumerGroup();

    /** The process's log (stdout and stderr). */
    Path logFile();

    /** Stops the process at once (SIGKILL: the run's state is thrown away anyway). */
    @Override
    void close();

    /** The last {@code count} lines of the log, for failure messages. */
    default List<String> tail(int count)
    {
        try {
            List<String> lines = new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8).lines().toList();
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        }
        catch (IOException e) {
            return List.of("(cannot read " + logFile() + ": " + e.getMessage() + ")");
        }
    }
}
