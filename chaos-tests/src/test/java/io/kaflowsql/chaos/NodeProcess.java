package io.kaflowsql.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One child JVM of a test, a {@code kaflowsql node} or the {@code kaflowsql broker}: its merged stdout/stderr is
 * read on a thread (into a log file and a tail kept in memory), and it can be waited for, killed with SIGKILL,
 * stopped with SIGTERM, or paused and resumed with SIGSTOP and SIGCONT.
 *
 * <p>Output is read on a thread because the child blocks once its pipe buffer is full, and because
 * {@link Process#destroy()} would close our end of the pipe; stops therefore go through
 * {@link Process#toHandle()} (SIGTERM) and {@link Process#destroyForcibly()} (SIGKILL on Linux).
 *
 * <p>Thread-safe: the output tail is guarded by {@code this}.
 */
final class NodeProcess
        implements AutoCloseable
{
    static final String READY_LINE = "KaflowSQL node ready";
    private static final int TAIL_LINES = 400;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread reader;
    private final Deque<String> tail = new ArrayDeque<>();
    private final String readyLine;
    private boolean ready;

    private NodeProcess(String name, Process process, Path logFile, String readyLine)
    {
        this.name = requireNonNull(name, "name is null");
        this.readyLine = requireNonNull(readyLine, "readyLine is null");
        this.process = requireNonNull(process, "process is null");
        this.logFile = requireNonNull(logFile, "logFile is null");
        this.reader = new Thread(() -> copyOutput(logFile), "chaos-output-" + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code command} (a node) with stderr merged into stdout; every output line also goes to {@code logFile}. */
    static NodeProcess start(String name, List<String> command, Path logFile)
    {
        return start(name, command, logFile, READY_LINE);
    }

    /** Starts {@code command}, which is ready once it prints a line containing {@code readyLine}. */
    static NodeProcess start(String name, List<String> command, Path logFile, String readyLine)
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new NodeProcess(name, process, logFile, readyLine);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** Waits until the node logged its ready line (true) or exited or the timeout passed (false). */
    boolean awaitReady(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!ready && process.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(Math.min(left, 100));
            }
            return ready;
        }
    }

    /** Waits for the process to end by itself (and its last output to be read); true if it did within the timeout. */
    boolean awaitExit(Duration timeout)
            throws InterruptedException
    {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            reader.join(5_000);
        }
        return exited;
    }

    int exitValue()
    {
        return process.exitValue();
    }

    /**
     * SIGQUIT: a live JVM prints a thread dump to its stdout, which lands in the log; for explaining a
     * node that hangs. Waits briefly for the dump to be read.
     */
    void dumpThreads()
            throws InterruptedException
    {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
        catch (IOException e) {
            remember("[chaos harness] cannot send SIGQUIT to node " + name + ": " + e);
        }
        Thread.sleep(2_000);
    }

    /**
     * SIGSTOP: the process stops at once, threads, timers and sockets alike, without noticing; its peers see a
     * silent member, its TCP connections stay open. {@link #resume} wakes it up where it was.
     */
    void pause()
    {
        signal("STOP");
    }

    /** SIGCONT: a paused process continues as if no time had passed, with clocks that jumped. */
    void resume()
    {
        signal("CONT");
    }

    private void signal(String signal)
    {
        if (process.isAlive()) {
            HostCommands.run("kill", "-s", signal, String.valueOf(process.pid()));
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. Waits until the process is gone (a paused one too). */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
        }
        reader.join(5_000);
    }

    /** SIGTERM: the node commits and closes its state; true if it exited within the timeout. */
    boolean stop(Duration timeout)
            throws InterruptedException
    {
        process.toHandle().destroy();
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (exited) {
            reader.join(5_000);
        }
        return exited;
    }

    /** The last {@code lines} lines the node printed. */
    synchronized List<String> tail(int lines)
    {
        List<String> all = new ArrayList<>(tail);
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Lines of the kept tail that contain {@code text}. */
    synchronized List<String> linesContaining(String text)
    {
        return tail.stream().filter(line -> line.contains(text)).toList();
    }

    /** Lines of the whole log file (not only the kept tail) that contain {@code text}; none before the file exists. */
    List<String> logLinesContaining(String text)
    {
        if (!Files.exists(logFile)) {
            return List.of();
        }
        try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the log of node " + name + ": " + logFile, e);
        }
    }

    private void copyOutput(Path logFile)
    {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = output.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                remember(line);
            }
        }
        catch (IOException e) {
            remember("[chaos harness] output of node " + name + " could not be read: " + e);
        }
    }

    private synchronized void remember(String line)
    {
        tail.addLast(line);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (line.contains(readyLine)) {
            ready = true;
        }
        notifyAll();
    }

    /** Kills the node if it still runs (a test that failed half-way must not leave a JVM behind). */
    @Override
    public void close()
            throws InterruptedException
    {
        if (process.isAlive()) {
            kill();
        }
    }
}
