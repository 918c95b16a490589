package io.kaflowsql.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.kaflowsql.node.internal.catalog.CatalogCodec;
import io.kaflowsql.node.internal.catalog.CatalogEntry;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON examples: {@code json dashboard} against the live node's {@code /api/dashboard} (every field the example shows
 * is in the real answer), {@code json catalog} decoded by the catalog's own codec.
 */
final class JsonBlocks
{
    private JsonBlocks() {}

    static void checkDashboard(CodeBlock block, LiveNode node)
    {
        Set<String> shown = paths(JsonValues.parse(block.text()));
        Set<String> real = paths(JsonValues.parse(node.get(node.httpPort(), "/api/dashboard")));
        assertThat(real).as(block.where() + ": every field of the example is in the node's /api/dashboard").containsAll(shown);
    }

    static void checkCatalog(CodeBlock block)
    {
        JsonNode example = JsonValues.parse(block.text());
        String name = example.path("name").asText();
        CatalogEntry entry = CatalogCodec.decode(name, block.text().getBytes(StandardCharsets.UTF_8));
        assertThat(entry.name()).as(block.where()).isEqualTo(name);
        Set<String> written = paths(JsonValues.parse(new String(CatalogCodec.encode(entry), StandardCharsets.UTF_8)));
        assertThat(written).as(block.where() + ": the example has the fields the node writes").isEqualTo(paths(example));
    }

    /** Every field path of a document, arrays as {@code []}: {@code pipelines[].endToEnd.p99Millis}. */
    static Set<String> paths(JsonNode node)
    {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths)
    {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                paths.add(path);
                collect(field.getValue(), path, paths);
            });
        }
        else if (node.isArray()) {
            node.forEach(element -> collect(element, prefix + "[]", paths));
        }
    }
}
