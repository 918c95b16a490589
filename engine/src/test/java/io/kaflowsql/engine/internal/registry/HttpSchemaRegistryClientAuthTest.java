package io.kaflowsql.engine.internal.registry;

import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTP basic auth, from the settings or from user info in the URL; a registry refusing it answers 401. */
class HttpSchemaRegistryClientAuthTest
{
    private static final String EXPECTED = "Basic " + Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes(UTF_8));

    private final RegistryStub stub = RegistryStub.http((request, index) -> request.authorization().filter(EXPECTED::equals).isPresent()
            ? new RegistryStub.Response(200, "[\"orders-value\"]")
            : new RegistryStub.Response(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
    private HttpSchemaRegistryClient client;

    @AfterEach
    void tearDown()
    {
        if (client != null) {
            client.close();
        }
        stub.close();
    }

    @Test
    void basicAuthFromTheSettingsIsSent()
    {
        client = new HttpSchemaRegistryClient(settings(stub.url(), Optional.of("alice:s3cr:et")), millis -> {});

        assertThat(client.subjects()).containsExactly("orders-value");
        assertThat(stub.onlyRequest().authorization()).contains(EXPECTED);
    }

    @Test
    void basicAuthFromTheUrlIsSentAndTheUserInfoIsNotPartOfTheRequest()
    {
        // ':' inside the password is percent-encoded in a URL
        String url = "http://alice:s3cr%3Aet@127.0.0.1:" + stub.port();
        client = new HttpSchemaRegistryClient(settings(url, Optional.empty()), millis -> {});

        assertThat(client.subjects()).containsExactly("orders-value");
        RegistryStub.Request request = stub.onlyRequest();
        assertThat(request.authorization()).contains(EXPECTED);
        assertThat(request.host()).hasValue("127.0.0.1:" + stub.port());
        assertThat(request.target()).isEqualTo("/subjects");
        assertThat(client.toString()).doesNotContain("alice").doesNotContain("s3cr");
    }

    @Test
    void settingsTakePrecedenceOverUserInfoInTheUrl()
    {
        String url = "http://mallory:guess@127.0.0.1:" + stub.port();
        client = new HttpSchemaRegistryClient(settings(url, Optional.of("alice:s3cr:et")), millis -> {});

        assertThat(client.subjects()).containsExactly("orders-value");
    }

    @Test
    void aWrongPasswordIsAnUnauthorizedExceptionWithoutRetries()
    {
        client = new HttpSchemaRegistryClient(settings(stub.url(), Optional.of("alice:wrong")), millis -> {});

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.errorCode()).isEqualTo(401);
                    assertThat(e.isUnavailable()).isFalse();
                })
                .hasMessageContaining("GET /subjects")
                .hasMessageContaining("Unauthorized")
                .hasMessageNotContaining("wrong");
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void missingCredentialsAreAnUnauthorizedException()
    {
        client = new HttpSchemaRegistryClient(settings(stub.url(), Optional.empty()), millis -> {});

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        assertThat(stub.onlyRequest().authorization()).isEmpty();
    }

    private static SchemaRegistrySettings settings(String url, Optional<String> userInfo)
    {
        return new SchemaRegistrySettings(URI.create(url), userInfo, Optional.empty(), Optional.empty(), Duration.ofSeconds(20), 3);
    }
}
