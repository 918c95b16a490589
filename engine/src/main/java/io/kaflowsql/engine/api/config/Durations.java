package io.kaflowsql.engine.api.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration syntax of pipelines and configs: one or more {@code <number><unit>} parts with
 * units {@code ms s m h d}, e.g. {@code 500ms}, {@code 2h}, {@code 1h30m}.
 */
public final class Durations
{
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    /** The duration, or empty when the text is not in the syntax. */
    public static Optional<Duration> parse(String text)
    {
        String trimmed = text.trim();
        if (!WHOLE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + part.group(2));
            });
        }
        return Optional.of(total);
    }

    /** Renders a duration in the same syntax, largest units first ({@code 1h30m}). */
    public static String format(Duration duration)
    {
        if (duration.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long millis = duration.toMillis();
        long[] unitMillis = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (millis >= unitMillis[i]) {
                text.append(millis / unitMillis[i]).append(units[i]);
                millis %= unitMillis[i];
            }
        }
        return text.toString();
    }
}
