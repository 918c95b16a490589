package io.kaflowsql.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/reference/metrics.md against what a running node (a one-member cluster running the seed pipeline, after some
 * traffic) exports on {@code /metrics}, both ways: every {@code kaflowsql_*} series it exports belongs to a documented
 * metric, and every metric in the page's tables is exported. The JVM and process metrics the page names are exported
 * too, except the GC pause timer, which appears only after the first pause (as the page says).
 */
@ExtendWith(LiveNodeExtension.class)
class MetricsReferenceTest
{
    private static final String PAGE = "docs/reference/metrics.md";
    private static final Pattern NAMED = Pattern.compile("`((?:kaflowsql|jvm|process|system)_[a-z0-9_]+)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{| )", Pattern.MULTILINE);
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");
    /** Named on the page but only exported after an event this node has not seen. */
    private static final Set<String> AFTER_AN_EVENT = Set.of("jvm_gc_pause_seconds");

    @Test
    void everyExportedKaflowsqlSeriesIsDocumented(LiveNode node)
    {
        Set<String> documented = named(Repository.read(PAGE));
        Set<String> undocumented = new TreeSet<>();
        for (String sample : samples(node.metrics())) {
            if (sample.startsWith("kaflowsql_") && documented.stream().noneMatch(name -> belongsTo(sample, name))) {
                undocumented.add(sample);
            }
        }

        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyDocumentedMetricIsExported(LiveNode node)
    {
        Set<String> documented = new TreeSet<>();
        for (MarkdownPage.Table table : Docs.page(PAGE).tables()) {
            table.rows().forEach(row -> documented.addAll(named("`" + String.join("` `", ReferenceTables.codes(String.join(" ", row))))));
        }
        documented.removeAll(AFTER_AN_EVENT);
        Set<String> samples = samples(node.metrics());

        assertThat(documented).hasSizeGreaterThan(40);
        assertThat(documented.stream().filter(name -> samples.stream().noneMatch(sample -> belongsTo(sample, name))).toList())
                .as("documented but not exported").isEmpty();
    }

    private static boolean belongsTo(String sample, String name)
    {
        return sample.equals(name) || SUFFIXES.stream().anyMatch(suffix -> sample.equals(name + suffix));
    }

    private static Set<String> named(String text)
    {
        Set<String> names = new TreeSet<>();
        Matcher matcher = NAMED.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Set<String> samples(String scrape)
    {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SAMPLE.matcher(scrape);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
