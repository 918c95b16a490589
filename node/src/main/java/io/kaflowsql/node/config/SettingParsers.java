package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.config.Durations;
import io.kaflowsql.engine.api.runtime.ProcessingGuarantee;
import io.kaflowsql.node.config.NodeConfig.LoggingSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Converts the text of one setting to its type, or fails with a message that names the key, the
 * value, what is expected and where the value came from. Stateless.
 */
final class SettingParsers
{
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private SettingParsers() {}

    static int port(ConfigValue value)
    {
        int port;
        try {
            port = Integer.parseInt(value.text().strip());
        }
        catch (NumberFormatException e) {
            throw value.invalid("must be a port number between 0 and 65535");
        }
        if (port < 0 || port > 65535) {
            throw value.invalid("must be a port number between 0 and 65535");
        }
        return port;
    }

    static int checkPort(int port, ConfigLocation location)
    {
        return checkPort(port, location, "http.port");
    }

    static int checkPort(int port, ConfigLocation location, String key)
    {
        if (port < 0 || port > 65535) {
            throw location.error("'" + key + "' must be a port number between 0 and 65535, got " + port);
        }
        return port;
    }

    /** {@code host:port}, comma separated; each port 1-65535. */
    static List<String> members(String text, ConfigLocation location, String key)
    {
        List<String> members = new ArrayList<>();
        for (String part : text.split(",")) {
            String member = part.strip();
            if (member.isEmpty()) {
                continue;
            }
            int colon = member.lastIndexOf(':');
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(member.substring(colon + 1));
                }
                catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (port < 1 || port > 65535) {
                throw location.error("'" + key + "' must list members as host:port separated by commas (e.g. 10.0.0.1:5701,10.0.0.2:5701), got '"
                        + member + "'");
            }
            members.add(member);
        }
        return List.copyOf(members);
    }

    static int nonNegativeInt(ConfigValue value)
    {
        try {
            int number = Integer.parseInt(value.text().strip());
            if (number >= 0) {
                return number;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw value.invalid("must be a whole number of at least 0");
    }

    static String nodeId(ConfigValue value)
    {
        String text = value.text().strip();
        if (!CLUSTER_NAME.matcher(text).matches()) {
            throw value.invalid("must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return text;
    }

    static Path path(ConfigValue value)
    {
        if (value.text().isBlank()) {
            throw value.invalid("must be a directory path");
        }
        try {
            return Path.of(value.text().strip());
        }
        catch (InvalidPathException e) {
            throw value.invalid("must be a valid directory path (" + e.getReason() + ")");
        }
    }

    static String httpUrl(ConfigValue value)
    {
        String text = value.text().strip();
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return text;
            }
        }
        catch (URISyntaxException e) {
            // reported below with the expected form
        }
        throw value.invalid("must be an http:// or https:// URL such as http://schema-registry:8081");
    }

    /** {@code user:password}, as Confluent's {@code basic.auth.user.info}. */
    static String userInfo(ConfigValue value)
    {
        String text = value.text().strip();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw value.invalid("must be user:password");
        }
        return text;
    }

    static String clusterName(ConfigValue value)
    {
        String text = value.text().strip();
        if (!CLUSTER_NAME.matcher(text).matches()) {
            throw value.invalid("must be letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return text;
    }

    static String logLevel(ConfigValue value)
    {
        String level = value.text().strip().toUpperCase(Locale.ROOT);
        if (!LoggingSettings.LEVELS.contains(level)) {
            throw value.invalid("must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
        }
        return level;
    }

    static ProcessingGuarantee guarantee(ConfigValue value)
    {
        return ProcessingGuarantee.fromConfigName(value.text())
                .orElseThrow(() -> value.invalid("must be exactly_once or at_least_once"));
    }

    /** A positive duration such as {@code 100ms}, {@code 30s}, {@code 1m}. */
    static Duration positiveDuration(ConfigValue value)
    {
        return Durations.parse(value.text().strip())
                .filter(duration -> !duration.isZero() && !duration.isNegative())
                .orElseThrow(() -> value.invalid("must be a positive duration such as 100ms, 30s or 5m"));
    }

    /** A duration of whole seconds, at least one: cluster timings, which Hazelcast counts in seconds. */
    static Duration wholeSeconds(ConfigValue value)
    {
        Duration duration = positiveDuration(value);
        if (duration.toSeconds() < 1 || duration.toMillis() % 1000 != 0) {
            throw value.invalid("must be whole seconds, at least 1s (Hazelcast counts cluster timings in seconds), such as 1s or 5s");
        }
        return duration;
    }

    static int positiveInt(ConfigValue value)
    {
        try {
            int number = Integer.parseInt(value.text().strip());
            if (number > 0) {
                return number;
            }
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw value.invalid("must be a whole number of at least 1");
    }
}
