package io.kaflowsql.engine.api.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a user's file (pipeline or node config), located precisely enough to fix it.
 *
 * @param file the file name as the user gave it
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param key dotted key path ({@code emission.require[1]}), empty for the whole document
 * @param message what is wrong and what to do about it
 */
public record ConfigProblem(String file, int line, int column, String key, String message)
{
    public ConfigProblem
    {
        requireNonNull(file, "file is null");
        requireNonNull(key, "key is null");
        requireNonNull(message, "message is null");
    }

    @Override
    public String toString()
    {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ");
        if (!key.isEmpty()) {
            text.append(key).append(": ");
        }
        return text.append(message).toString();
    }
}
