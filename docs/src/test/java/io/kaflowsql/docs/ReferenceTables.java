package io.kaflowsql.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the reference tables of a page: rows by the text of their first cell. */
final class ReferenceTables
{
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private ReferenceTables() {}

    /** The tables under the heading {@code heading} (exact text). */
    static List<MarkdownPage.Table> under(String file, String heading)
    {
        List<MarkdownPage.Table> tables = Docs.page(file).tables().stream().filter(table -> table.heading().equals(heading)).toList();
        if (tables.isEmpty()) {
            throw new AssertionError(file + " has no table under the heading '" + heading + "'");
        }
        return tables;
    }

    /** Rows keyed by the first code span of their first cell, e.g. {@code cluster.name}. */
    static Map<String, List<String>> byCode(List<MarkdownPage.Table> tables)
    {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (MarkdownPage.Table table : tables) {
            for (List<String> row : table.rows()) {
                codes(row.get(0)).stream().findFirst().ifPresent(code -> rows.put(code, row));
            }
        }
        return rows;
    }

    /** The code spans of a cell, in order. */
    static List<String> codes(String cell)
    {
        List<String> codes = new ArrayList<>();
        Matcher matcher = CODE.matcher(cell);
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    /** The column of {@code table} whose header is {@code header}. */
    static int column(MarkdownPage.Table table, String header)
    {
        int index = table.header().indexOf(header);
        if (index < 0) {
            throw new AssertionError("table at line " + table.line() + " has no column '" + header + "': " + table.header());
        }
        return index;
    }
}
