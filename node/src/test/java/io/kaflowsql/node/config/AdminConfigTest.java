package io.kaflowsql.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code admin.token}, {@code admin.token-file} and {@code admin.tls.*} keys. */
class AdminConfigTest
{
    @TempDir
    Path dir;

    @Test
    void noTokenAndNoTlsByDefault()
    {
        NodeConfig.AdminSettings admin = NodeConfigLoader.load(Optional.empty(), Map.of(), ConfigOverrides.none()).admin();

        assertThat(admin).isEqualTo(NodeConfig.AdminSettings.NONE);
        assertThat(NodeConfig.defaults().admin()).isEqualTo(NodeConfig.AdminSettings.NONE);
        assertThat(admin.tls()).isFalse();
    }

    @Test
    void readsTheTokenFromTheFileItsVariableOrTheEnvironment()
            throws IOException
    {
        Path literal = write("config.yaml", "admin: { token: from-file }\n");
        Path variable = write("variable.yaml", "admin: { token: \"${SECRET}\" }\n");
        Path tokenFile = write("token", "  from-token-file \n");
        Path withTokenFile = write("token-file.yaml", "admin: { token-file: " + tokenFile + " }\n");

        assertThat(load(literal, Map.of("KAFLOWSQL_ADMIN_TOKEN", "ignored")).token()).contains("from-file");
        assertThat(load(variable, Map.of("SECRET", "from-variable")).token()).contains("from-variable");
        assertThat(load(withTokenFile, Map.of("KAFLOWSQL_ADMIN_TOKEN", "ignored")).token()).contains("from-token-file");
        assertThat(NodeConfigLoader.load(Optional.empty(), Map.of("KAFLOWSQL_ADMIN_TOKEN", "from-env"), ConfigOverrides.none()).admin().token())
                .contains("from-env");
    }

    @Test
    void neverPrintsTheToken()
            throws IOException
    {
        NodeConfig.AdminSettings admin = load(write("config.yaml", "admin: { token: hunter2 }\n"), Map.of());

        assertThat(admin.toString()).doesNotContain("hunter2").contains("***");
    }

    @Test
    void rejectsBothTokenKeysAnEmptyOrMissingTokenFileAndHalfATlsSetup()
            throws IOException
    {
        Path tokenFile = write("token", "x");
        Path empty = write("empty", "\n");
        Path both = write("both.yaml", "admin:\n  token: a\n  token-file: " + tokenFile + "\n");
        Path emptyFile = write("empty.yaml", "admin:\n  token-file: " + empty + "\n");
        Path missing = write("missing.yaml", "admin:\n  token-file: " + dir.resolve("nope") + "\n");
        Path halfTls = write("tls.yaml", "admin:\n  tls:\n    cert-file: " + tokenFile + "\n");
        Path unknownTlsKey = write("tls-key.yaml", "admin:\n  tls:\n    cert: x\n");

        assertThatThrownBy(() -> load(both, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessage(both + ":3:15: 'admin.token' and 'admin.token-file' are both set: keep one of them");
        assertThatThrownBy(() -> load(emptyFile, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(emptyFile + ":2:15: 'admin.token-file': ").hasMessageContaining("is empty");
        assertThatThrownBy(() -> load(missing, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ":2:15: 'admin.token-file': no readable file at ");
        assertThatThrownBy(() -> load(halfTls, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(halfTls + ":3:16: 'admin.tls.cert-file' is set without 'admin.tls.key-file'");
        assertThatThrownBy(() -> load(unknownTlsKey, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(unknownTlsKey + ":3:5: unknown key 'admin.tls.cert'");
    }

    @Test
    void readsTheTlsFiles()
            throws IOException
    {
        Path cert = write("admin.crt", "cert");
        Path key = write("admin.key", "key");
        Path file = write("config.yaml", "admin:\n  tls:\n    cert-file: " + cert + "\n    key-file: " + key + "\n");

        NodeConfig.AdminSettings admin = load(file, Map.of());

        assertThat(admin.tls()).isTrue();
        assertThat(admin.tlsCertFile()).contains(cert);
        assertThat(admin.tlsKeyFile()).contains(key);
        assertThat(admin.trustFile()).as("peers trust the certificate itself by default").contains(cert);
    }

    private static NodeConfig.AdminSettings load(Path file, Map<String, String> env)
    {
        return NodeConfigLoader.load(Optional.of(file), env, ConfigOverrides.none()).admin();
    }

    private Path write(String name, String text)
            throws IOException
    {
        return Files.writeString(dir.resolve(name), text);
    }
}
