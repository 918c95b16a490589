package io.kaflowsql.docs;

import io.kaflowsql.node.config.ConfigException;
import io.kaflowsql.node.config.ConfigOverrides;
import io.kaflowsql.node.config.NodeConfig;
import io.kaflowsql.node.config.NodeConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node config examples through the real loader. Files the examples name under {@code /etc/kaflowsql/} (token file,
 * certificates, trust store) are replaced by stand-ins in a scratch directory, since the loader checks that they are
 * readable; the environment holds only {@code KAFLOWSQL_ADMIN_TOKEN}.
 */
final class ConfigBlocks
{
    static final String FILE_NAME = "config.yaml";
    static final Map<String, String> ENVIRONMENT = Map.of(NodeConfigLoader.ADMIN_TOKEN, "docs-token");
    private static final String ETC = "/etc/kaflowsql/";
    private static final List<String> STAND_INS = List.of("admin-token", "admin.crt", "admin.key", "ca.crt", "ca.p12");

    private ConfigBlocks() {}

    static void check(CodeBlock block, Path scratch)
    {
        Path dir = PipelineBlocks.directory(scratch);
        if (block.has("expect-error")) {
            List<String> expected = Docs.expectedError(block);
            try {
                load(block.text(), dir);
            }
            catch (ConfigException e) {
                String message = e.getMessage().replace(dir.resolve(FILE_NAME).toString(), FILE_NAME).replace(dir.resolve("etc") + "/", ETC);
                assertThat(message.lines().toList()).as(block.where() + ": the message shown after the example").containsExactlyElementsOf(expected);
                return;
            }
            throw new AssertionError(block.where() + ": the example was expected to fail with " + expected + " but it loads");
        }
        try {
            load(block.text(), dir);
        }
        catch (ConfigException e) {
            throw new AssertionError(block.where() + ": the example does not load: " + e.getMessage(), e);
        }
    }

    static NodeConfig load(String yaml, Path dir)
    {
        return load(yaml, dir, ENVIRONMENT);
    }

    static NodeConfig load(String yaml, Path dir, Map<String, String> environment)
    {
        try {
            Path etc = Files.createDirectories(dir.resolve("etc"));
            for (String name : STAND_INS) {
                Files.writeString(etc.resolve(name), "docs-stand-in\n");
            }
            Path file = dir.resolve(FILE_NAME);
            Files.writeString(file, yaml.replace(ETC, etc + "/"));
            return NodeConfigLoader.load(Optional.of(file), environment, ConfigOverrides.none());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
