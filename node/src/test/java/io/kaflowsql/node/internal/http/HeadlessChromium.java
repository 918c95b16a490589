package io.kaflowsql.node.internal.http;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Loads a page in headless Chromium (Debian's {@code chromium} package) as a separate process and returns the DOM
 * after its scripts ran: {@code --dump-dom} once {@code --virtual-time-budget} of page time passed (timers fire and
 * fetches complete within that budget, so a page that polls shows its first answers).
 *
 * <p>A missing browser fails the test with what to install: the dashboard must not go untested silently.
 */
public final class HeadlessChromium
{
    /** Overrides where the browser is looked for (a path to its binary). */
    public static final String BINARY_VARIABLE = "KAFLOWSQL_CHROMIUM";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern CELL = Pattern.compile("<td([^>]*)>(.*?)</td>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private final Path binary;
    private final Path profiles;

    private HeadlessChromium(Path binary, Path profiles)
    {
        this.binary = requireNonNull(binary, "binary is null");
        this.profiles = requireNonNull(profiles, "profiles is null");
    }

    /** The installed browser; fails (never skips) when there is none. {@code scratch}: for its throwaway profiles. */
    public static HeadlessChromium installed(Path scratch)
    {
        return new HeadlessChromium(find().orElseThrow(() -> new AssertionError("Chromium is not installed, and the dashboard tests load the page in "
                + "headless Chromium: install it (Debian/Ubuntu: apt-get install -y chromium; .ci/run does this in CI) or set " + BINARY_VARIABLE
                + " to the browser's binary")), scratch);
    }

    private static Optional<Path> find()
    {
        String configured = System.getenv(BINARY_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(directory, name);
                if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM of {@code url} after {@code budget} of page time, serialized as HTML. */
    public String dumpDom(String url, Duration budget)
            throws IOException, InterruptedException
    {
        Path profile = Files.createTempDirectory(profiles, "chromium-profile");
        Path output = profile.resolve("dom.html");
        Path log = profile.resolve("chromium.log");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile.resolve("data"), "--virtual-time-budget=" + budget.toMillis(), "--dump-dom", url));
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(log.toFile()).start();
        if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Chromium did not finish loading " + url + " within " + PROCESS_TIMEOUT.toSeconds() + " s; its log:\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("Chromium exited with " + process.exitValue() + " loading " + url + "; its log:\n" + tail(log));
        }
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private static String tail(Path log)
            throws IOException
    {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /** The text of every table cell of {@code dom} marked {@code data-field="field"} (tags stripped), in page order. */
    public static List<String> cells(String dom, String field)
    {
        return matchingCells(dom, field, false);
    }

    /** The {@code data-value} of every table cell of {@code dom} marked {@code data-field="field"}, in page order. */
    public static List<String> values(String dom, String field)
    {
        return matchingCells(dom, field, true);
    }

    private static List<String> matchingCells(String dom, String field, boolean values)
    {
        List<String> found = new ArrayList<>();
        Matcher cell = CELL.matcher(dom);
        while (cell.find()) {
            String attributes = cell.group(1);
            if (!attributes.contains("data-field=\"" + field + "\"")) {
                continue;
            }
            if (values) {
                Matcher value = Pattern.compile("data-value=\"([^\"]*)\"").matcher(attributes);
                found.add(value.find() ? value.group(1) : null);
            }
            else {
                found.add(TAG.matcher(cell.group(2)).replaceAll("").trim());
            }
        }
        return found;
    }
}
