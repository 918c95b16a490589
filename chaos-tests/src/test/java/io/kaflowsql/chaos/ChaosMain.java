package io.kaflowsql.chaos;

import io.kaflowsql.engine.internal.state.TaskCheckpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code scripts/chaos.sh}: the long chaos run from one command, reproducible from its seed. Prints the schedule the
 * seed makes, runs it, prints how each step went and the checker's report, and exits 0 only if every expectation held
 * and the output kept the guarantee.
 *
 * <pre>
 * scripts/chaos.sh --duration 30m --seed 42 [--nodes 3] [--partitions 6] [--rate 60] [--guarantee exactly_once|at_least_once]
 *                  [--faults KILL,PAUSE,...] [--no-namespaces] [--no-tmpfs] [--dir DIR]
 * </pre>
 *
 * Without {@code --seed} a fresh seed is drawn and printed. The run's directory (broker data, node state and logs) is
 * kept: {@code target/chaos-run-<seed>}, emptied first when a run of that seed was there, unless {@code --dir} names
 * another (which must be empty).
 */
public final class ChaosMain
{
    private ChaosMain() {}

    public static void main(String[] args)
            throws Exception
    {
        Duration duration = Duration.ofMinutes(30);
        long seed = ChaosSeeds.seed();
        int nodes = 3;
        int partitions = 6;
        double rate = 60;
        boolean exactlyOnce = true;
        List<Fault> faults = Arrays.asList(Fault.values());
        boolean namespaces = true;
        boolean tmpfs = true;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-namespaces")) {
                namespaces = false;
                continue;
            }
            if (option.equals("--no-tmpfs")) {
                tmpfs = false;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; see scripts/chaos.sh --help");
            }
            String value = args[++i];
            switch (option) {
                case "--duration" -> duration = parseDuration(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--nodes" -> nodes = Integer.parseInt(value);
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--guarantee" -> exactlyOnce = switch (value) {
                    case "exactly_once" -> true;
                    case "at_least_once" -> false;
                    default -> throw new IllegalArgumentException("--guarantee is exactly_once or at_least_once, not " + value);
                };
                case "--faults" -> faults = Arrays.stream(value.split(",")).map(name -> Fault.valueOf(name.strip().toUpperCase(Locale.ROOT))).toList();
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + "; see scripts/chaos.sh --help");
            }
        }
        Path runDir = dir != null ? dir : Path.of("target", "chaos-run-" + seed);
        if (dir == null) {
            TaskCheckpoints.deleteRecursively(runDir); // the default directory is this run's own: a rerun starts afresh
        }
        else if (Files.isDirectory(dir) && !isEmpty(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " is not empty; a run needs a fresh directory");
        }
        Files.createDirectories(runDir);
        System.out.printf("chaos run in %s for about %s, seed %d%n", runDir.toAbsolutePath(), duration, seed);
        ChaosRun.Settings settings = new ChaosRun.Settings(seed, duration, faults, nodes, partitions, exactlyOnce, rate, 0.1, namespaces, tmpfs,
                false);
        ChaosRun.Result result = ChaosRun.run(runDir, settings);
        System.exit(result.passed() ? 0 : 1);
    }

    private static boolean isEmpty(Path dir)
            throws IOException
    {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** {@code 30m}, {@code 90s}, {@code 1h}, or an ISO-8601 duration. */
    static Duration parseDuration(String text)
    {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            default -> throw new IllegalArgumentException("a duration is like 30m, 90s or 1h: " + text);
        };
    }
}
