package io.kaflowsql.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands of a {@code bash} (or {@code console}) example, split the way a shell would for what the examples use:
 * {@code \} line continuations, {@code #} comments, {@code '...'} and {@code "..."} quoting, {@code $(...)} as one
 * word, commands separated by newlines, {@code ;}, {@code &&} and {@code ||}, and pipes. In a {@code console} block
 * only lines starting with {@code $ } are commands; the others are output.
 */
final class ShellScript
{
    /** Commands joined by pipes: the first one's output goes through the others. */
    record Pipeline(List<List<String>> commands)
    {
        List<String> first()
        {
            return commands.get(0);
        }

        List<List<String>> filters()
        {
            return commands.subList(1, commands.size());
        }
    }

    private ShellScript() {}

    static List<Pipeline> parse(String text, boolean console)
    {
        List<Pipeline> pipelines = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw;
            if (console) {
                if (!line.startsWith("$ ") && logical.isEmpty()) {
                    continue;
                }
                if (line.startsWith("$ ")) {
                    line = line.substring(2);
                }
            }
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            pipelines.addAll(split(logical.toString()));
            logical.setLength(0);
        }
        if (!logical.isEmpty()) {
            pipelines.addAll(split(logical.toString()));
        }
        return pipelines;
    }

    private static List<Pipeline> split(String line)
    {
        List<Pipeline> pipelines = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed quote in: " + line);
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            }
            else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
                int depth = 0;
                int j = i + 1;
                do {
                    depth += line.charAt(j) == '(' ? 1 : line.charAt(j) == ')' ? -1 : 0;
                    j++;
                }
                while (depth > 0 && j < line.length());
                word.append(line, i, j);
                inWord = true;
                i = j;
            }
            else if (Character.isWhitespace(c) || c == '#' && !inWord || c == ';' || c == '|' || c == '&') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (c == '#') {
                    break;
                }
                boolean doubled = i + 1 < line.length() && line.charAt(i + 1) == c;
                if (c == '|' && !doubled) {
                    commands.add(words);
                    words = new ArrayList<>();
                }
                else if (c == ';' || c == '|' || c == '&') {
                    end(pipelines, commands, words);
                    commands = new ArrayList<>();
                    words = new ArrayList<>();
                    i += doubled ? 1 : 0;
                }
                i++;
            }
            else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        end(pipelines, commands, words);
        return pipelines;
    }

    private static void end(List<Pipeline> pipelines, List<List<String>> commands, List<String> words)
    {
        if (!words.isEmpty()) {
            commands.add(words);
        }
        if (!commands.isEmpty()) {
            pipelines.add(new Pipeline(List.copyOf(commands)));
        }
    }
}
