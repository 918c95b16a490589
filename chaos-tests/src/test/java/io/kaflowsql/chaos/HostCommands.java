package io.kaflowsql.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's tools a fault needs ({@code ip}, {@code tc}, {@code mount}, {@code kill}) and fails loudly: a fault
 * that was not injected must not pass for one that was. Stateless; thread-safe.
 */
final class HostCommands
{
    private static final long TIMEOUT_SECONDS = 20;

    private HostCommands() {}

    /** Runs {@code command}, returns its output; throws with the output if it fails or hangs. */
    static String run(String... command)
    {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("`" + String.join(" ", command) + "` failed (exit " + process.exitValue() + "): " + output.strip());
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running `" + String.join(" ", command) + "`", e);
        }
    }
}
