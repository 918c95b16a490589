package io.kaflowsql.docs;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bash} and {@code console} examples. Every {@code kaflowsql} command line is parsed by the real command tree.
 * {@code validate} of repository files and every {@code admin} command except {@code drain} are run (the admin ones
 * against the {@link LiveNode}, whatever server the example names), and must succeed; {@code curl} is run against
 * the live node's HTTP port (8080 and the compose ports 8091-8093) or its schema registry (8081). Output piped to
 * {@code grep} must have a matching line; output piped to {@code jq} must be JSON with the fields the filter names.
 * Scripts and repository paths must exist; other tools are not run.
 */
final class ShellBlocks
{
    private static final Set<String> EXTERNAL = Set.of("mvn", "java", "docker", "podman", "skopeo", "kubectl", "helm", "systemctl", "chromium",
            "export", "cd", "ls", "cat", "openssl", "kill", "sleep");
    private static final Pattern REPOSITORY_PATH = Pattern.compile("(?:^|[=:])(?:\\./)?((?:deploy|docs|pipelines|scripts|node|engine|coordinator|protocol|chaos-tests)/[^\\s:,]*)");
    private static final Pattern URL = Pattern.compile("(?:https?://)?(localhost|127\\.0\\.0\\.1):(\\d+)(/.*)?");
    private static final Pattern JQ_FIELD = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern JQ_SHORTHAND = Pattern.compile("[{,]\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(?=[,}])");

    private ShellBlocks() {}

    static void check(CodeBlock block, LiveNode node)
    {
        Optional<Cli.Run> last = Optional.empty();
        for (ShellScript.Pipeline pipeline : ShellScript.parse(block.text(), block.language().equals("console"))) {
            List<String> words = withoutAssignments(pipeline.first());
            if (words.isEmpty()) {
                continue;
            }
            String program = words.get(0).replaceFirst("^\\./", "");
            String what = block.where() + ": " + String.join(" ", words);
            if (program.equals("kaflowsql")) {
                Optional<Cli.Run> run = kaflowsql(what, words.subList(1, words.size()), node);
                run.ifPresent(result -> filter(what, result.out(), pipeline.filters()));
                last = run.isPresent() ? run : last;
            }
            else if (program.startsWith("scripts/")) {
                assertThat(Repository.file(program)).as(what + ": the script exists").isRegularFile();
                if (program.equals("scripts/personalization_load_test.sh")) {
                    List<String> args = new ArrayList<>(List.of("load-test"));
                    args.addAll(words.subList(1, words.size()));
                    assertThat(Cli.parse(args)).as(what + ": passes its flags to kaflowsql load-test").containsExactly("load-test");
                }
            }
            else if (program.equals("curl")) {
                filter(what, curl(what, words, node), pipeline.filters());
            }
            else if (EXTERNAL.contains(program)) {
                words.forEach(word -> checkRepositoryPaths(what, word));
            }
            else {
                throw new AssertionError(what + ": no test can check '" + program + "'; mark the block text, or teach ShellBlocks about it");
            }
        }
        Optional<CodeBlock> output = Docs.next(block).filter(next -> next.kind().equals("text output"));
        if (output.isPresent()) {
            Cli.Run run = last.orElseThrow(() -> new AssertionError(block.where() + ": a text output block follows, but no command ran"));
            List<String> expected = output.get().text().lines().toList();
            assertThat(ExpectedText.matches(expected, run.out().lines().toList()))
                    .as(output.get().where() + ": the output shown; the command printed:\n" + run.out()).isTrue();
        }
    }

    private static List<String> withoutAssignments(List<String> words)
    {
        int start = 0;
        while (start < words.size() && words.get(start).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
            start++;
        }
        return words.subList(start, words.size());
    }

    /** Parses the command line; runs it when it is cheap and safe here. */
    private static Optional<Cli.Run> kaflowsql(String what, List<String> args, LiveNode node)
    {
        List<String> expanded = Cli.expandGlobs(args);
        List<String> path;
        try {
            path = Cli.parse(expanded);
        }
        catch (picocli.CommandLine.ParameterException e) {
            throw new AssertionError(what + ": the command line does not parse: " + e.getMessage(), e);
        }
        assertThat(path).as(what + ": names a command").isNotEmpty();
        boolean filesExist = expanded.stream().filter(arg -> arg.endsWith(".yaml") || arg.endsWith(".yml"))
                .allMatch(arg -> Files.isRegularFile(Repository.file(arg)));
        List<String> run;
        if (path.equals(List.of("validate")) && filesExist) {
            run = expanded;
        }
        else if (path.size() == 2 && path.get(0).equals("admin") && !path.get(1).equals("drain") && filesExist) {
            run = onLiveNode(expanded, node);
        }
        else {
            return Optional.empty();
        }
        Cli.Run result = Cli.run(run);
        assertThat(result.code()).as(what + " exits 0; it printed:\n" + result.out() + result.err()).isZero();
        return Optional.of(result);
    }

    /** The admin command line with {@code --server} pointing at the live node. */
    private static List<String> onLiveNode(List<String> args, LiveNode node)
    {
        List<String> rewritten = new ArrayList<>(List.of("admin", "--server", "127.0.0.1:" + node.adminPort()));
        for (int i = 1; i < args.size(); i++) {
            if (args.get(i).equals("--server")) {
                i++;
            }
            else if (!args.get(i).startsWith("--server=")) {
                rewritten.add(args.get(i));
            }
        }
        return rewritten;
    }

    private static String curl(String what, List<String> words, LiveNode node)
    {
        String url = words.subList(1, words.size()).stream().filter(word -> !word.startsWith("-")).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": no URL"));
        Matcher matcher = URL.matcher(url);
        assertThat(matcher.matches()).as(what + ": a URL of a local node or registry").isTrue();
        int port = Integer.parseInt(matcher.group(2));
        String path = matcher.group(3) == null ? "/" : matcher.group(3);
        if (port == 8081) {
            return node.get(node.registryPort(), path);
        }
        assertThat(port).as(what + ": a node's HTTP port (8080, or 8091-8093 in the compose file)").isIn(8080, 8091, 8092, 8093);
        return node.get(node.httpPort(), path);
    }

    private static void filter(String what, String output, List<List<String>> filters)
    {
        for (List<String> filter : filters) {
            String program = filter.get(0);
            if (program.equals("grep")) {
                String pattern = filter.get(filter.size() - 1);
                assertThat(output.lines().filter(line -> line.contains(pattern)).toList()).as(what + ": some line contains " + pattern).isNotEmpty();
            }
            else if (program.equals("jq")) {
                JsonNode json = JsonValues.parse(output);
                String expression = filter.get(filter.size() - 1);
                Set<String> keys = new HashSet<>();
                collectKeys(json, keys);
                Set<String> named = new HashSet<>();
                JQ_FIELD.matcher(expression).results().forEach(result -> named.add(result.group(1)));
                JQ_SHORTHAND.matcher(expression).results().forEach(result -> named.add(result.group(1)));
                assertThat(keys).as(what + ": the JSON has the fields the jq filter reads").containsAll(named);
            }
            else {
                throw new AssertionError(what + ": no test can check the filter '" + program + "'");
            }
        }
    }

    private static void collectKeys(JsonNode node, Set<String> keys)
    {
        node.properties().forEach(field -> {
            keys.add(field.getKey());
            collectKeys(field.getValue(), keys);
        });
        if (node.isArray()) {
            node.forEach(element -> collectKeys(element, keys));
        }
    }

    private static void checkRepositoryPaths(String what, String word)
    {
        Matcher matcher = REPOSITORY_PATH.matcher(word);
        while (matcher.find()) {
            String path = matcher.group(1);
            if (path.contains("/target/") || path.contains("*") || path.contains("$")) {
                continue;
            }
            assertThat(Files.exists(Repository.file(path))).as(what + ": " + path + " exists in the repository").isTrue();
        }
    }
}
