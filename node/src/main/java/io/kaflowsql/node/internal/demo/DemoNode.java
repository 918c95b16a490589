package io.kaflowsql.node.internal.demo;

import io.kaflowsql.node.internal.process.NodeHttpProbe;
import io.kaflowsql.node.internal.process.NodeJvm;
import io.kaflowsql.node.internal.runtime.KaflowNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One node process of {@code demo --nodes N}: its JVM, the probe reading its HTTP endpoints, and what the demo
 * says about it while it starts ({@link #startState}), runs ({@link #sample}) and stops ({@link #awaitStopped}).
 *
 * <p>Thread-safe: the sampler reads several nodes in parallel.
 */
final class DemoNode
{
    static final String EXITED = "EXITED";
    static final String FAILED = "FAILED";

    private final String id;
    private final NodeJvm process;
    private final NodeHttpProbe probe;
    private final Clock clock;

    DemoNode(String id, NodeJvm process, NodeHttpProbe probe, Clock clock)
    {
        this.id = requireNonNull(id, "id is null");
        this.process = requireNonNull(process, "process is null");
        this.probe = requireNonNull(probe, "probe is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String id()
    {
        return id;
    }

    NodeJvm process()
    {
        return process;
    }

    /**
     * READY; the lifecycle the node reports while it bootstraps ({@code /ready} says {@code node: <lifecycle>});
     * JOINING while its HTTP server answers but its cluster membership has not started (it is joining);
     * STARTING while its JVM starts; {@link #FAILED} when a pipeline failed; {@link #EXITED}.
     */
    String startState()
    {
        if (!process.isAlive()) {
            return EXITED;
        }
        Optional<String> detail = probe.readyDetail();
        if (detail.isEmpty()) {
            return "STARTING";
        }
        String text = detail.get();
        if (text.equals("ready")) {
            return "READY";
        }
        if (text.contains(": FAILED")) {
            return FAILED;
        }
        return text.startsWith("node: ") ? text.substring("node: ".length()).lines().findFirst().orElse("?") : "JOINING";
    }

    /** Reads {@code /cluster} and {@code /metrics} once. */
    NodeSample sample()
    {
        boolean alive = process.isAlive();
        return new NodeSample(id, alive, alive ? probe.cluster() : Optional.empty(), alive ? probe.recordsOut() : OptionalDouble.empty(),
                clock.millis());
    }

    /** After SIGTERM: waits up to {@code timeout}, kills the node if it is still alive, and says how it ended. */
    String awaitStopped(Duration timeout)
    {
        if (!process.awaitExit(timeout)) {
            process.kill();
            return "did not stop within " + timeout.toSeconds() + " s of SIGTERM; killed (see " + process.logFile() + ")";
        }
        if (logContains(KaflowNode.STOPPED_MESSAGE)) {
            return "stopped cleanly (drained, committed, left the cluster)";
        }
        return "exited with code " + process.exitCode().orElse(-1) + " without stopping cleanly (see " + process.logFile() + ")";
    }

    List<String> logTail(int lines)
    {
        try {
            List<String> all = Files.readAllLines(process.logFile(), StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }
        catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + process.logFile() + ": " + e.getMessage() + ")");
        }
    }

    private boolean logContains(String text)
    {
        Path log = process.logFile();
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.anyMatch(line -> line.contains(text));
        }
        catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
