package io.kaflowsql.engine.internal.registry;

import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * https with a self-signed certificate made by {@code keytool}. The certificate names only
 * {@code localhost} (no IP), so that connecting to {@code 127.0.0.1} proves hostname verification is on.
 */
class HttpSchemaRegistryClientTlsTest
{
    private static final String KEY_PASSWORD = "server-secret";
    private static final String TRUST_PASSWORD = "trust-secret";

    @TempDir
    static Path directory;
    private static Path keyStore;
    private static Path trustStore;

    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private RegistryStub stub;
    private HttpSchemaRegistryClient client;

    @BeforeAll
    static void makeCertificates()
            throws Exception
    {
        keyStore = directory.resolve("server.p12");
        trustStore = directory.resolve("trust.p12");
        Path certificate = directory.resolve("server.crt");
        keytool("-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "test", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", KEY_PASSWORD, "-keypass", KEY_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "test", "-keystore", keyStore.toString(), "-storepass", KEY_PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", TRUST_PASSWORD);
    }

    @AfterEach
    void tearDown()
    {
        if (client != null) {
            client.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void talksToARegistryWhoseCertificateIsInTheTrustStore()
            throws Exception
    {
        stub = httpsStub();
        client = new HttpSchemaRegistryClient(settings("https://localhost:" + stub.port(), Optional.of(trustStore), Optional.of(TRUST_PASSWORD)), sleeps::add);

        assertThat(client.subjects()).containsExactly("orders-value");
        assertThat(stub.onlyRequest().target()).isEqualTo("/subjects");
    }

    @Test
    void failsWithoutRetriesWhenTheCertificateIsNotTrusted()
            throws Exception
    {
        stub = httpsStub();
        client = new HttpSchemaRegistryClient(settings("https://localhost:" + stub.port(), Optional.empty(), Optional.empty()), sleeps::add);

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE))
                .hasMessageContaining("GET /subjects")
                .hasStackTraceContaining("PKIX path building failed");
        assertThat(sleeps).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void failsWhenTheCertificateDoesNotNameTheHost()
            throws Exception
    {
        stub = httpsStub();
        client = new HttpSchemaRegistryClient(settings("https://127.0.0.1:" + stub.port(), Optional.of(trustStore), Optional.of(TRUST_PASSWORD)), sleeps::add);

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE))
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
        assertThat(sleeps).isEmpty();
        assertThat(stub.requests()).isEmpty();
    }

    @Test
    void aTrustStoreThatCannotBeOpenedIsAConfigurationError()
    {
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(settings("https://localhost:8081", Optional.of(trustStore), Optional.of("wrong")), sleeps::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(trustStore.toString());
        assertThatThrownBy(() -> new HttpSchemaRegistryClient(settings("https://localhost:8081", Optional.of(directory.resolve("missing.p12")), Optional.empty()), sleeps::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.p12");
    }

    private static RegistryStub httpsStub()
            throws Exception
    {
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), KEY_PASSWORD.toCharArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, KEY_PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return RegistryStub.https((request, index) -> new RegistryStub.Response(200, "[\"orders-value\"]"), context);
    }

    private static SchemaRegistrySettings settings(String url, Optional<Path> trustStore, Optional<String> password)
    {
        return new SchemaRegistrySettings(URI.create(url), Optional.empty(), trustStore, password, Duration.ofSeconds(20), 3);
    }

    private static void keytool(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
