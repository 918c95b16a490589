package io.kaflowsql.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the full output of every node (or broker) incarnation after the scenario's temporary directory is gone:
 * copies {@code node-*.log} and {@code broker-*.log} to {@code target/chaos-logs/<name>/} (or {@code -Dkaflowsql.chaos.logs=DIR}),
 * where a CI job can archive them. Stateless; thread-safe.
 */
final class NodeLogs
{
    private NodeLogs() {}

    static void keep(Path nodeDir, String name)
    {
        Path target = Path.of(System.getProperty("kaflowsql.chaos.logs", "target/chaos-logs")).resolve(name);
        try (Stream<Path> files = Files.exists(nodeDir) ? Files.list(nodeDir) : Stream.empty()) {
            List<Path> logs = files.filter(file -> file.getFileName().toString().matches("(node|broker)-\\d+\\.log")).toList();
            Files.createDirectories(target);
            try (Stream<Path> stale = Files.list(target)) {
                for (Path old : stale.toList()) {
                    Files.delete(old);
                }
            }
            for (Path log : logs) {
                Files.copy(log, target.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.printf("[chaos] node logs kept in %s%n", target.toAbsolutePath());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot keep node logs of " + nodeDir, e);
        }
    }
}
