package io.kaflowsql.engine.api.config;

import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in a configuration value with the value of an
 * environment variable; shared by pipeline files and node configs. As in a POSIX shell, the default
 * also applies when the variable is set but empty; {@code $${} is a literal dollar-brace. A
 * {@code ${VAR}} without default whose variable is unset is an error naming the variable, because
 * silently using an empty string would fail much later and far away (a broker address of "").
 */
public final class EnvSubstitution
{
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvSubstitution() {}

    /** @param error turns a message into the exception to throw, located where the value came from */
    public static String apply(String text, Map<String, String> env, Function<String, ? extends RuntimeException> error)
    {
        if (!text.contains("${")) {
            return text;
        }
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group(1) == null) {
                replacement = "${";
            }
            else {
                String name = matcher.group(1);
                String value = env.get(name);
                boolean hasDefault = matcher.group(2) != null;
                if (value == null || (value.isEmpty() && hasDefault)) {
                    if (!hasDefault) {
                        throw error.apply("environment variable " + name + " is not set (set it, or give a default: ${" + name + ":-value})");
                    }
                    value = matcher.group(2);
                }
                replacement = value;
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
