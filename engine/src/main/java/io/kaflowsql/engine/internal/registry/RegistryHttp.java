package io.kaflowsql.engine.internal.registry;

import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * One HTTP exchange with the registry, with retries: the transport under {@link HttpSchemaRegistryClient}.
 *
 * <p>I/O errors, 5xx and 429 answers are retried up to {@code maxRetries} times with exponential backoff
 * ({@value #INITIAL_BACKOFF_MILLIS} ms doubling, capped at {@value #MAX_BACKOFF_MILLIS} ms, plus up to 10%
 * jitter so that many tasks restarting together do not hit the registry in lockstep). Other 4xx answers
 * are the caller's fault and are thrown at once. A TLS certificate the trust store rejects is not retried
 * either: it will not fix itself. Failures are {@link SchemaRegistryException}s.
 *
 * <p>Requests carry the media types Confluent's own client sends, and HTTP basic auth when configured
 * (from the settings, else from user info embedded in the URL, which is never put on a request line).
 *
 * <p>Thread-safe: the JDK {@link HttpClient} is, and the rest is immutable.
 */
final class RegistryHttp
        implements AutoCloseable
{
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(RegistryHttp.class);

    /** Waits between attempts; injected so that tests need not really sleep. */
    @FunctionalInterface
    interface Sleeper
    {
        Sleeper THREAD_SLEEP = Thread::sleep;

        void sleep(long millis)
                throws InterruptedException;
    }

    private final String baseUrl;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final Sleeper sleeper;
    private volatile HttpClient client;

    RegistryHttp(SchemaRegistrySettings settings, Sleeper sleeper)
    {
        requireNonNull(settings, "settings is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.baseUrl = baseUrl(settings.url());
        this.authorization = settings.basicAuthUserInfo()
                .or(() -> Optional.ofNullable(settings.url().getUserInfo()).filter(info -> info.contains(":")))
                .map(info -> "Basic " + Base64.getEncoder().encodeToString(info.getBytes(UTF_8)));
        this.requestTimeout = settings.requestTimeout();
        this.maxRetries = settings.maxRetries();
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("https".equalsIgnoreCase(settings.url().getScheme()) && settings.trustStore().isPresent()) {
            builder.sslContext(sslContext(settings.trustStore().get(), settings.trustStorePassword()));
        }
        this.client = builder.build();
    }

    /** The base URL requests are made against: no user info, no trailing slash. */
    String baseUrl()
    {
        return baseUrl;
    }

    /**
     * Sends {@code method path} (path already URL-encoded, starting with {@code /}, query included) and
     * returns the 2xx answer.
     */
    RegistryAnswer send(String method, String path, Optional<String> body)
    {
        HttpRequest request = request(method, path, body);
        Failure failure;
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                HttpResponse<String> response = client().send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new RegistryAnswer(method, path, status, response.body());
                }
                failure = Failure.ofAnswer(status, response.body());
                if (status != 429 && status < 500) {
                    throw failure.toException(method, path, attempt);
                }
            }
            catch (IOException e) {
                failure = Failure.ofTransport(baseUrl, e);
                if (isCertificateProblem(e)) {
                    throw failure.toException(method, path, attempt);
                }
            }
            catch (InterruptedException e) {
                throw interrupted(method, path, e);
            }
            if (attempt > maxRetries) {
                throw failure.toException(method, path, attempt);
            }
            long delay = backoffMillis(attempt);
            log.warn("schema registry {} {} failed ({}); retry {}/{} in {} ms", method, path, failure.detail(), attempt, maxRetries, delay);
            try {
                sleeper.sleep(delay);
            }
            catch (InterruptedException e) {
                throw interrupted(method, path, e);
            }
        }
    }

    /** Backoff before retry number {@code retry} (1-based): 100, 200, 400... ms, at most 5 s, plus jitter. */
    static long backoffMillis(int retry)
    {
        long base = Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(retry - 1, 16));
        long jitter = ThreadLocalRandom.current().nextLong(base / 10 + 1);
        return Math.min(MAX_BACKOFF_MILLIS, base + jitter);
    }

    /** Java 17's HttpClient has no close(); dropping it lets its selector thread and pool end. */
    @Override
    public void close()
    {
        client = null;
    }

    private HttpClient client()
    {
        HttpClient current = client;
        if (current == null) {
            throw new IllegalStateException("schema registry client for " + baseUrl + " is closed");
        }
        return current;
    }

    private HttpRequest request(String method, String path, Optional<String> body)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body.isPresent()) {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(method, HttpRequest.BodyPublishers.ofString(body.get(), UTF_8));
        }
        else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private SchemaRegistryException interrupted(String method, String path, InterruptedException e)
    {
        Thread.currentThread().interrupt();
        return new SchemaRegistryException(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE,
                "interrupted during schema registry " + method + " " + path + " at " + baseUrl, e);
    }

    private static boolean isCertificateProblem(Throwable e)
    {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof SSLPeerUnverifiedException) {
                return true;
            }
        }
        return false;
    }

    private static String baseUrl(URI url)
    {
        String authority = requireNonNull(url.getRawAuthority(), () -> "schema registry url has no host: " + url);
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return url.getScheme().toLowerCase() + "://" + hostAndPort + path;
    }

    private static SSLContext sslContext(Path trustStore, Optional<String> password)
    {
        try {
            KeyStore keyStore = KeyStore.getInstance(trustStore.toFile(), password.map(String::toCharArray).orElse(null));
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(keyStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use schema registry trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** Why one attempt failed; becomes the exception once retries are exhausted or pointless. */
    private record Failure(int httpStatus, int errorCode, String detail, Throwable cause)
    {
        static Failure ofAnswer(int status, String body)
        {
            Optional<RegistryJson.RegistryError> error = RegistryJson.error(body);
            int errorCode = error.map(RegistryJson.RegistryError::errorCode).orElse(status);
            String message = error.map(RegistryJson.RegistryError::message).orElse(body.length() > 500 ? body.substring(0, 500) + "..." : body);
            return new Failure(status, errorCode, "HTTP " + status + ", error " + errorCode + ": " + message, null);
        }

        static Failure ofTransport(String baseUrl, IOException e)
        {
            return new Failure(SchemaRegistryException.UNREACHABLE, SchemaRegistryException.UNREACHABLE,
                    "no answer from " + baseUrl + ": " + e, e);
        }

        SchemaRegistryException toException(String method, String path, int attempts)
        {
            String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
            return new SchemaRegistryException(httpStatus, errorCode, "schema registry " + method + " " + path + " failed" + tries + ": " + detail, cause);
        }
    }
}
