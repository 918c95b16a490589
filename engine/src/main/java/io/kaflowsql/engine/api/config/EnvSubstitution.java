package io.kaflowsql.engine.api.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ${VAR}} and {@code ${VAR:-default}} in configuration values. */
final class EnvSubstitution
{
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private EnvSubstitution() {}

    static String apply(String value, Map<String, String> env, Function<String, ConfigurationException> error)
    {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = env.get(name);
            if (replacement == null || (replacement.isEmpty() && matcher.group(2) != null)) {
                if (matcher.group(2) == null) {
                    throw error.apply("environment variable " + name + " is not set; set it or write ${" + name + ":-default}");
                }
                replacement = matcher.group(3);
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
