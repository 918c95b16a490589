package io.kaflowsql.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A Markdown page read the way the tests need it: its fenced code blocks, its headings (with GitHub's anchors), its
 * tables under each heading, and its links. Text inside code blocks is neither a heading, a table nor a link.
 */
final class MarkdownPage
{
    private static final Pattern FENCE = Pattern.compile("^(\\s*)```+\\s*(.*)$");
    private static final Pattern CLOSING_FENCE = Pattern.compile("^\\s*```+\\s*$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    /** A heading: its level, text and anchor. */
    record Heading(int level, String text, String anchor, int line) {}

    /** A table: the heading it is under (empty before the first), its header cells and its rows of cells. */
    record Table(String heading, List<String> header, List<List<String>> rows, int line) {}

    /** A link target as written, and the line it is on. */
    record Link(String target, int line) {}

    private final String file;
    private final List<CodeBlock> blocks = new ArrayList<>();
    private final List<Heading> headings = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();

    private MarkdownPage(String file)
    {
        this.file = requireNonNull(file, "file is null");
    }

    static MarkdownPage read(Path path)
    {
        String file = Repository.relative(path);
        return parse(file, Repository.read(file));
    }

    static MarkdownPage parse(String file, String text)
    {
        MarkdownPage page = new MarkdownPage(file);
        page.scan(text.split("\n", -1));
        return page;
    }

    String file()
    {
        return file;
    }

    List<CodeBlock> blocks()
    {
        return blocks;
    }

    List<Heading> headings()
    {
        return headings;
    }

    List<Table> tables()
    {
        return tables;
    }

    List<Link> links()
    {
        return links;
    }

    private void scan(String[] lines)
    {
        Map<String, Integer> anchorCounts = new LinkedHashMap<>();
        String heading = "";
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                i = readBlock(lines, i, fence.group(1).length(), fence.group(2).trim());
                continue;
            }
            Matcher title = HEADING.matcher(line);
            if (title.matches()) {
                heading = title.group(2);
                String anchor = anchor(heading);
                int seen = anchorCounts.merge(anchor, 1, Integer::sum) - 1;
                headings.add(new Heading(title.group(1).length(), heading, seen == 0 ? anchor : anchor + "-" + seen, i + 1));
            }
            else if (line.trim().startsWith("|")) {
                i = readTable(lines, i, heading);
                continue;
            }
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                links.add(new Link(link.group(1), i + 1));
            }
            i++;
        }
    }

    private int readBlock(String[] lines, int start, int indent, String info)
    {
        StringBuilder text = new StringBuilder();
        int i = start + 1;
        while (i < lines.length && !CLOSING_FENCE.matcher(lines[i]).matches()) {
            String line = lines[i];
            int strip = Math.min(indent, line.length() - line.stripLeading().length());
            text.append(line.substring(strip)).append('\n');
            i++;
        }
        if (i >= lines.length) {
            throw new IllegalStateException(file + ":" + (start + 1) + ": code block is never closed");
        }
        List<String> words = info.isEmpty() ? List.of() : Arrays.asList(info.split("\\s+"));
        String language = words.isEmpty() ? "" : words.get(0);
        blocks.add(new CodeBlock(file, start + 1, language, words.isEmpty() ? List.of() : words.subList(1, words.size()), text.toString()));
        return i + 1;
    }

    private int readTable(String[] lines, int start, String heading)
    {
        List<List<String>> rows = new ArrayList<>();
        int i = start;
        while (i < lines.length && lines[i].trim().startsWith("|")) {
            rows.add(cells(lines[i].trim()));
            Matcher link = LINK.matcher(CODE_SPAN.matcher(lines[i]).replaceAll(""));
            while (link.find()) {
                links.add(new Link(link.group(1), i + 1));
            }
            i++;
        }
        if (rows.size() >= 2 && rows.get(1).stream().allMatch(cell -> cell.matches(":?-+:?"))) {
            tables.add(new Table(heading, rows.get(0), List.copyOf(rows.subList(2, rows.size())), start + 1));
        }
        return i;
    }

    /** The cells of a table row; {@code \|} is a literal bar inside a cell. */
    static List<String> cells(String row)
    {
        String body = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && body.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            }
            else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            }
            else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading)
    {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
