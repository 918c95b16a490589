package io.kaflowsql.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every relative link of the documentation reaches a file of the repository, and a heading of it when it names one. */
class LinksTest
{
    @Test
    void everyLinkResolves()
    {
        List<String> broken = new ArrayList<>();
        for (MarkdownPage page : Docs.pages()) {
            Path dir = Repository.file(page.file()).getParent();
            for (MarkdownPage.Link link : page.links()) {
                String target = link.target();
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? "" : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? Repository.file(page.file()) : dir.resolve(file).normalize();
                String where = page.file() + ":" + link.line() + ": " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                    continue;
                }
                if (!anchor.isEmpty() && resolved.toString().endsWith(".md")
                        && MarkdownPage.read(resolved).headings().stream().noneMatch(heading -> heading.anchor().equals(anchor))) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void anchorsAreGitHubs()
    {
        assertThat(MarkdownPage.anchor("6. Cluster: hand-over gap and throughput — `scripts/bench-cluster.sh`"))
                .isEqualTo("6-cluster-hand-over-gap-and-throughput--scriptsbench-clustersh");
        assertThat(MarkdownPage.anchor("kaflowsql admin")).isEqualTo("kaflowsql-admin");
        assertThat(MarkdownPage.anchor("Output: `format: avro`")).isEqualTo("output-format-avro");
    }
}
