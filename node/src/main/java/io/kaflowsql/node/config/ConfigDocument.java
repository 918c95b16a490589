package io.kaflowsql.node.config;

import io.kaflowsql.engine.api.config.EnvSubstitution;
import io.kaflowsql.engine.api.config.Suggestions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A node config file checked against the known keys: each scalar setting with its dotted key,
 * substituted text and file position. Parsed with SnakeYAML's node API (not into maps) because only
 * nodes keep the line and column every error message needs.
 *
 * <p>Rejects, each with file, line, column and a fix: YAML syntax errors, unknown keys (with the
 * closest known key as a suggestion), duplicate keys, a section that is not a mapping, a setting that
 * is not a single value, and {@code ${VAR}} of an unset variable. A key whose value is empty or
 * {@code ~} counts as not set. Immutable and thread-safe.
 */
final class ConfigDocument
{
    /** Section to its keys, in the order the documentation lists them. */
    static final Map<String, List<String>> SCHEMA = schema();
    static final String KAFKA_PROPERTIES = "kafka.properties";
    static final String ADMIN_TLS = "admin.tls";
    private static final List<String> ADMIN_TLS_KEYS = List.of("cert-file", "key-file", "trust-file");

    private final Map<String, ConfigValue> values;
    private final Map<String, ConfigValue> kafkaProperties;

    private ConfigDocument(Map<String, ConfigValue> values, Map<String, ConfigValue> kafkaProperties)
    {
        this.values = Collections.unmodifiableMap(values);
        this.kafkaProperties = Collections.unmodifiableMap(kafkaProperties);
    }

    static ConfigDocument empty()
    {
        return new ConfigDocument(new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    static ConfigDocument parse(String text, String file, Map<String, String> env)
    {
        requireNonNull(text, "text is null");
        requireNonNull(file, "file is null");
        requireNonNull(env, "env is null");
        Node root = compose(text, file);
        if (root == null || isNull(root)) {
            return empty();
        }
        Walker walker = new Walker(file, env, new LinkedHashMap<>(), new LinkedHashMap<>());
        walker.walkRoot(root);
        return new ConfigDocument(walker.values(), walker.kafkaProperties());
    }

    /** The setting with dotted key {@code key} ({@code http.port}), when the file sets it. */
    Optional<ConfigValue> get(String key)
    {
        return Optional.ofNullable(values.get(key));
    }

    /** {@code kafka.properties}, in file order. */
    Map<String, ConfigValue> kafkaProperties()
    {
        return kafkaProperties;
    }

    private static Node compose(String text, String file)
    {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        try {
            return new Yaml(options).compose(new StringReader(text));
        }
        catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? file : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw new ConfigException(where + ": invalid YAML: " + e.getProblem() + " (check indentation, colons and quotes)", e);
        }
        catch (YAMLException e) {
            throw new ConfigException(file + ": invalid YAML: " + e.getMessage(), e);
        }
    }

    private static boolean isNull(Node node)
    {
        return node instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.NULL) || scalar.getValue().isEmpty());
    }

    private static Map<String, List<String>> schema()
    {
        Map<String, List<String>> schema = new LinkedHashMap<>();
        schema.put("cluster", List.of("name", "node-id", "host", "port", "members", "kubernetes-service-dns", "kubernetes-namespace", "min-size",
                "heartbeat-interval", "failure-timeout"));
        schema.put("standby", List.of("replicas", "refresh-interval"));
        schema.put("admin", List.of("port", "token", "token-file", "tls"));
        schema.put("kafka", List.of("bootstrap-servers", "consumer-group", "properties"));
        schema.put("schema-registry", List.of("url", "basic-auth-user-info", "trust-store", "trust-store-password", "request-timeout"));
        schema.put("state", List.of("dir"));
        schema.put("processing", List.of("guarantee", "commit-interval"));
        schema.put("checkpoint", List.of("interval", "keep"));
        schema.put("http", List.of("port"));
        schema.put("pipelines", List.of("dir"));
        schema.put("logging", List.of("level"));
        return Collections.unmodifiableMap(schema);
    }

    /** One pass over the node tree; collects into the two maps it was given. */
    private record Walker(String file, Map<String, String> env, Map<String, ConfigValue> values, Map<String, ConfigValue> kafkaProperties)
    {
        void walkRoot(Node root)
        {
            for (Map.Entry<String, Node> section : entries(root, "", List.copyOf(SCHEMA.keySet())).entrySet()) {
                String name = section.getKey();
                Node body = section.getValue();
                if (isNull(body)) {
                    continue;
                }
                for (Map.Entry<String, Node> setting : entries(body, name, SCHEMA.get(name)).entrySet()) {
                    String key = name + "." + setting.getKey();
                    Node value = setting.getValue();
                    if (isNull(value)) {
                        continue;
                    }
                    if (key.equals(KAFKA_PROPERTIES)) {
                        walkKafkaProperties(value);
                    }
                    else if (key.equals(ADMIN_TLS)) {
                        walkAdminTls(value);
                    }
                    else {
                        values.put(key, scalar(value, key));
                    }
                }
            }
        }

        private void walkKafkaProperties(Node node)
        {
            for (Map.Entry<String, Node> property : entries(node, KAFKA_PROPERTIES, null).entrySet()) {
                String key = KAFKA_PROPERTIES + "." + property.getKey();
                if (isNull(property.getValue())) {
                    throw location(property.getValue()).error("'" + key + "' has no value (give one, or remove the line)");
                }
                kafkaProperties.put(property.getKey(), scalar(property.getValue(), key));
            }
        }

        private void walkAdminTls(Node node)
        {
            for (Map.Entry<String, Node> setting : entries(node, ADMIN_TLS, ADMIN_TLS_KEYS).entrySet()) {
                String key = ADMIN_TLS + "." + setting.getKey();
                if (!isNull(setting.getValue())) {
                    values.put(key, scalar(setting.getValue(), key));
                }
            }
        }

        /** The entries of a mapping, checked against {@code allowed} (null: any key). */
        private Map<String, Node> entries(Node node, String path, List<String> allowed)
        {
            if (!(node instanceof MappingNode mapping)) {
                String what = path.isEmpty() ? "the file" : "'" + path + "'";
                String keys = allowed == null ? "property: value" : String.join(", ", allowed);
                throw location(node).error(what + " must be a mapping (" + keys + "), got " + describe(node));
            }
            Map<String, Node> entries = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalarKey)) {
                    throw location(keyNode).error("keys must be plain names, got " + describe(keyNode));
                }
                String key = scalarKey.getValue();
                String dotted = path.isEmpty() ? key : path + "." + key;
                if (allowed != null && !allowed.contains(key)) {
                    String fix = Suggestions.closest(key, allowed)
                            .map(suggestion -> "did you mean '" + suggestion + "'?")
                            .orElse("known keys: " + String.join(", ", allowed));
                    throw location(keyNode).error("unknown key '" + dotted + "' (" + fix + ")");
                }
                if (entries.put(key, tuple.getValueNode()) != null) {
                    throw location(keyNode).error("duplicate key '" + dotted + "' (keep one of them)");
                }
            }
            return entries;
        }

        private ConfigValue scalar(Node node, String key)
        {
            if (!(node instanceof ScalarNode scalar)) {
                throw location(node).error("'" + key + "' must be a single value, got " + describe(node));
            }
            ConfigLocation location = location(node);
            return new ConfigValue(key, EnvSubstitution.apply(scalar.getValue(), env, location::error), location);
        }

        private ConfigLocation location(Node node)
        {
            Mark mark = node.getStartMark();
            return ConfigLocation.inFile(file, mark.getLine() + 1, mark.getColumn() + 1);
        }

        private static String describe(Node node)
        {
            return switch (node.getNodeId()) {
                case scalar -> "'" + ((ScalarNode) node).getValue() + "'";
                case mapping -> "a mapping";
                case sequence -> "a list";
                case anchor -> "an anchor";
            };
        }
    }
}
