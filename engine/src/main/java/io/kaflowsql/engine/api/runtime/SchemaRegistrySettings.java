package io.kaflowsql.engine.api.runtime;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Config {@code schema-registry:} — where a Confluent-compatible schema registry answers (Avro input and output).
 *
 * @param url base URL, {@code http://} or {@code https://}, e.g. {@code http://schema-registry:8081}
 * @param basicAuthUserInfo {@code user:password} sent as HTTP basic auth (Confluent's {@code basic.auth.user.info})
 * @param trustStore PKCS12 or JKS file with the CAs to trust for {@code https}; empty = the JVM's default trust
 * @param trustStorePassword password of {@code trustStore}
 * @param requestTimeout per HTTP request
 * @param maxRetries retries of a request that failed with an I/O error, 5xx or 429, with backoff; 4xx answers are not retried
 */
public record SchemaRegistrySettings(
        URI url,
        Optional<String> basicAuthUserInfo,
        Optional<Path> trustStore,
        Optional<String> trustStorePassword,
        Duration requestTimeout,
        int maxRetries)
{
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 5;

    public SchemaRegistrySettings
    {
        requireNonNull(url, "url is null");
        requireNonNull(basicAuthUserInfo, "basicAuthUserInfo is null");
        requireNonNull(trustStore, "trustStore is null");
        requireNonNull(trustStorePassword, "trustStorePassword is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        String scheme = url.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("schema registry url must start with http:// or https://, got '" + url + "'");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("schema registry request timeout must be positive: " + requestTimeout);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("schema registry retries must not be negative: " + maxRetries);
        }
        basicAuthUserInfo.ifPresent(info -> {
            if (!info.contains(":")) {
                throw new IllegalArgumentException("schema registry basic auth must be user:password");
            }
        });
    }

    /** Plain settings: no auth, default trust, default timeout and retries. */
    public static SchemaRegistrySettings of(String url)
    {
        return new SchemaRegistrySettings(URI.create(url), Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES);
    }

    /** Never prints the password. */
    @Override
    public String toString()
    {
        return "SchemaRegistrySettings[url=" + url + ", basicAuth=" + basicAuthUserInfo.map(info -> info.substring(0, info.indexOf(':')) + ":***").orElse("none")
                + ", trustStore=" + trustStore.map(Path::toString).orElse("default") + ", requestTimeout=" + requestTimeout + ", maxRetries=" + maxRetries + "]";
    }
}
