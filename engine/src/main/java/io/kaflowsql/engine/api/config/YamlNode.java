package io.kaflowsql.engine.api.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A node of a YAML document that remembers where it came from (file, line, column, key path), so every
 * error about a user's file can say exactly where to look. Scalars may have {@code ${VAR}} and
 * {@code ${VAR:-default}} substituted from an environment given at parse time.
 *
 * <p>Immutable and thread-safe.
 */
public final class YamlNode
{
    private final Node node;
    private final String file;
    private final String path;
    private final Source source;

    private record Source(String text, Map<String, String> env) {}

    private YamlNode(Node node, String file, String path, Source source)
    {
        this.node = node;
        this.file = file;
        this.path = path;
        this.source = source;
    }

    /**
     * Parses a document. {@code env} is null to leave {@code ${...}} untouched.
     *
     * @throws ConfigurationException on a syntax error, located
     */
    public static YamlNode parse(String text, String file, Map<String, String> env)
    {
        requireNonNull(text, "text is null");
        requireNonNull(file, "file is null");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Yaml yaml = new Yaml(options);
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        }
        catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigurationException(new ConfigProblem(file, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", "invalid YAML: " + e.getProblem()));
        }
        catch (YAMLException e) {
            throw new ConfigurationException(new ConfigProblem(file, 0, 0, "", "invalid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new ConfigurationException(new ConfigProblem(file, 1, 1, "", "the file is empty"));
        }
        return new YamlNode(root, file, "", new Source(text, env == null ? null : Map.copyOf(env)));
    }

    public String file()
    {
        return file;
    }

    /** Dotted key path of this node ({@code state.events.overrides}), empty for the root. */
    public String path()
    {
        return path;
    }

    public int line()
    {
        return node.getStartMark().getLine() + 1;
    }

    public int column()
    {
        return node.getStartMark().getColumn() + 1;
    }

    public boolean isMapping()
    {
        return node instanceof MappingNode;
    }

    public boolean isSequence()
    {
        return node instanceof SequenceNode;
    }

    public boolean isNull()
    {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    /** Children of a mapping in document order. */
    public Map<String, YamlNode> entries()
    {
        MappingNode mapping = (MappingNode) expect(MappingNode.class, "a mapping of keys to values");
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw child(tuple.getKeyNode(), path).error("keys must be plain names");
            }
            String key = keyNode.getValue();
            entries.put(key, child(tuple.getValueNode(), path.isEmpty() ? key : path + "." + key));
        }
        return entries;
    }

    public Optional<YamlNode> get(String key)
    {
        YamlNode value = entries().get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    public YamlNode required(String key)
    {
        return get(key).orElseThrow(() -> error("missing required key '" + qualify(key) + "'"));
    }

    /** Fails on the first key not in {@code allowed}, suggesting the closest allowed one. */
    public void requireOnlyKeys(Collection<String> allowed)
    {
        MappingNode mapping = (MappingNode) expect(MappingNode.class, "a mapping of keys to values");
        for (NodeTuple tuple : mapping.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!allowed.contains(key)) {
                String hint = Suggestions.closest(key, allowed)
                        .map(best -> " (did you mean '" + best + "'?)")
                        .orElse("; allowed keys: " + String.join(", ", allowed));
                throw child(tuple.getKeyNode(), qualify(key)).error("unknown key '" + qualify(key) + "'" + hint);
            }
        }
    }

    public List<YamlNode> elements()
    {
        SequenceNode sequence = (SequenceNode) expect(SequenceNode.class, "a list");
        List<YamlNode> elements = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            elements.add(child(values.get(i), path + "[" + i + "]"));
        }
        return elements;
    }

    public String asString()
    {
        ScalarNode scalar = (ScalarNode) expect(ScalarNode.class, "a single value");
        return substitute(scalar.getValue());
    }

    public List<String> asStringList()
    {
        return elements().stream().map(YamlNode::asString).toList();
    }

    public int asInt()
    {
        String text = asString().trim();
        try {
            return Integer.parseInt(text);
        }
        catch (NumberFormatException e) {
            throw error("expected a whole number, got '" + text + "'");
        }
    }

    public boolean asBoolean()
    {
        String text = asString().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error("expected true or false, got '" + text + "'");
        };
    }

    public Duration asDuration()
    {
        String text = asString();
        return Durations.parse(text).orElseThrow(() -> error(
                "expected a duration such as 500ms, 30s, 15m, 2h or 1d, got '" + text + "'"));
    }

    /**
     * Where the text of a scalar starts in the file: for a block scalar ({@code query: |}) the first
     * content line and its indentation, so positions inside the value map back to the file.
     *
     * @return {line, column} 1-based; column is where the value's first character sits
     */
    public int[] contentStart()
    {
        ScalarNode scalar = (ScalarNode) expect(ScalarNode.class, "a single value");
        int line = line();
        int column = column();
        DumperOptions.ScalarStyle style = scalar.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
            String[] lines = source.text().split("\n", -1);
            int contentLine = line + 1;
            while (contentLine <= lines.length && lines[contentLine - 1].isBlank()) {
                contentLine++;
            }
            String text = contentLine <= lines.length ? lines[contentLine - 1] : "";
            int indent = text.length() - text.stripLeading().length();
            return new int[] {contentLine, indent + 1};
        }
        boolean quoted = style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        return new int[] {line, column + (quoted ? 1 : 0)};
    }

    public ConfigProblem problem(String message)
    {
        return new ConfigProblem(file, line(), column(), path, message);
    }

    public ConfigurationException error(String message)
    {
        return new ConfigurationException(problem(message));
    }

    private String qualify(String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    private YamlNode child(Node child, String childPath)
    {
        return new YamlNode(child, file, childPath, source);
    }

    private Node expect(Class<? extends Node> type, String what)
    {
        if (!type.isInstance(node)) {
            throw error("expected " + what);
        }
        return node;
    }

    private String substitute(String value)
    {
        if (source.env() == null || !value.contains("${")) {
            return value;
        }
        return EnvSubstitution.apply(value, source.env(), this::error);
    }
}
