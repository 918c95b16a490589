package io.kaflowsql.docs;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reference/sql.md against the compiler: the functions it lists are the compiler's (whose list is read from its
 * own "Unknown function" error), every documented CAST target compiles and every target the compiler names is
 * documented, and every reserved word documented as usable as a column name is.
 */
class SqlReferenceTest
{
    private static final String PAGE = "docs/reference/sql.md";
    private static final Pattern FUNCTION = Pattern.compile("\\b([A-Z_]+)\\(");
    private static final Pattern WORD = Pattern.compile("`([a-z]+)`");

    @Test
    void theFunctionTableIsTheCompilersFunctions()
    {
        Set<String> documented = new TreeSet<>();
        ReferenceTables.under(PAGE, "Functions").get(0).rows().forEach(row -> {
            Matcher matcher = FUNCTION.matcher(row.get(0));
            while (matcher.find()) {
                documented.add(matcher.group(1));
            }
        });
        boolean concatenation = ReferenceTables.under(PAGE, "Operators").get(0).rows().stream().anyMatch(row -> row.get(0).equals("`a || b`"));
        if (concatenation) {
            documented.add("||");
        }
        String message = SqlBlocks.failure("SELECT NO_SUCH_FUNCTION(c.x) AS y FROM t c");
        Set<String> supported = new TreeSet<>(Arrays.asList(message.substring(message.indexOf("supported functions: ") + "supported functions: ".length()).split(", ")));

        assertThat(documented).isEqualTo(supported);
    }

    @Test
    void everyDocumentedCastTargetCompilesAndEveryTargetTheCompilerNamesIsDocumented()
    {
        Set<String> documented = new TreeSet<>();
        ReferenceTables.under(PAGE, "CAST").get(0).rows().forEach(row -> documented.addAll(ReferenceTables.codes(row.get(0))));
        for (String type : documented) {
            SqlBlocks.compile("SELECT CAST(c.x AS " + type.replace("(p, s)", "(10, 2)") + ") AS y FROM t c");
        }
        String message = SqlBlocks.failure("SELECT CAST(c.x AS TIMESTAMP) AS y FROM t c");
        List<String> named = Arrays.asList(message.substring(message.indexOf("supported types: ") + "supported types: ".length()).split(", (?![^(]*\\))"));

        assertThat(documented).containsAll(named);
    }

    @Test
    void everyReservedWordDocumentedAsAColumnNameIsOne()
    {
        String paragraph = Repository.read(PAGE).lines().dropWhile(line -> !line.startsWith("- **Reserved words as column names.**"))
                .takeWhile(line -> !line.startsWith("  with backticks")).reduce("", String::concat);
        Set<String> words = new TreeSet<>();
        Matcher matcher = WORD.matcher(paragraph.substring(paragraph.indexOf("as written")));
        while (matcher.find()) {
            words.add(matcher.group(1));
        }
        words.remove("order");

        assertThat(words).hasSizeGreaterThan(15);
        for (String word : words) {
            SqlBlocks.compile("SELECT c." + word + " AS a, " + word + " AS b FROM t c WHERE " + word + " IS NOT NULL AND c." + word + " > 0");
        }
    }
}
