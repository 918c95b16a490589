package io.kaflowsql.engine.internal.registry;

import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries of I/O errors, 5xx and 429 with backoff; no retries of other 4xx. The sleeper records instead of sleeping. */
class HttpSchemaRegistryClientRetryTest
{
    private static final String SUBJECTS = "[\"orders-value\"]";
    private static final String UNAVAILABLE = "{\"error_code\": 50003, \"message\": \"Error while forwarding the request to the leader\"}";
    private static final String STORE_ERROR = "{\"error_code\": 50001, \"message\": \"Error in the backend data store\"}";

    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private RegistryStub stub;
    private HttpSchemaRegistryClient client;

    @AfterEach
    void tearDown()
    {
        release.countDown();
        if (client != null) {
            client.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    @Test
    void serviceUnavailableTwiceThenAnAnswerSucceedsOnTheThirdRequest()
    {
        stub = RegistryStub.http((request, index) -> index < 2 ? new RegistryStub.Response(503, UNAVAILABLE) : new RegistryStub.Response(200, SUBJECTS));
        client = new HttpSchemaRegistryClient(stub.settings(5), sleeps::add);

        assertThat(client.subjects()).containsExactly("orders-value");

        assertThat(stub.requests()).hasSize(3);
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isBetween(100L, 110L);
        assertThat(sleeps.get(1)).isBetween(200L, 220L);
    }

    @Test
    void tooManyRequestsIsRetried()
    {
        stub = RegistryStub.http((request, index) -> index == 0 ? new RegistryStub.Response(429, "{\"error_code\": 429, \"message\": \"Rate limit exceeded\"}")
                : new RegistryStub.Response(200, SUBJECTS));
        client = new HttpSchemaRegistryClient(stub.settings(5), sleeps::add);

        assertThat(client.subjects()).containsExactly("orders-value");
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void aServerErrorThatPersistsFailsAfterMaxRetriesPlusOneRequests()
    {
        stub = RegistryStub.answering(500, STORE_ERROR);
        client = new HttpSchemaRegistryClient(stub.settings(3), sleeps::add);

        assertThatThrownBy(() -> client.subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isUnavailable()).isTrue();
                })
                .hasMessageContaining("after 4 attempts")
                .hasMessageContaining("Error in the backend data store");
        assertThat(stub.requests()).hasSize(4);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void notFoundIsNotRetried()
    {
        stub = RegistryStub.answering(404, "{\"error_code\": 40401, \"message\": \"Subject 'test' not found.\"}");
        client = new HttpSchemaRegistryClient(stub.settings(5), sleeps::add);

        assertThatThrownBy(() -> client.versions("test"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThat(stub.requests()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aClosedPortIsUnreachableAfterTheRetries()
            throws IOException
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SchemaRegistrySettings settings = new SchemaRegistrySettings(URI.create("http://127.0.0.1:" + port), Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(20), 2);
        client = new HttpSchemaRegistryClient(settings, sleeps::add);

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.UNREACHABLE);
                    assertThat(e.isUnavailable()).isTrue();
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                })
                .hasMessageContaining("GET /schemas/ids/1")
                .hasMessageContaining("127.0.0.1:" + port);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void aRequestThatTimesOutIsRetried()
    {
        // the first request hangs until the test ends; later ones answer at once (a loaded machine may
        // time out some of those too, hence the generous retries and no exact request count)
        stub = RegistryStub.http((request, index) -> {
            if (index == 0) {
                release.await(60, TimeUnit.SECONDS);
            }
            return new RegistryStub.Response(200, SUBJECTS);
        });
        SchemaRegistrySettings settings = new SchemaRegistrySettings(URI.create(stub.url()), Optional.empty(),
                Optional.empty(), Optional.empty(), Duration.ofSeconds(2), 10);
        client = new HttpSchemaRegistryClient(settings, sleeps::add);

        assertThat(client.subjects()).containsExactly("orders-value");
        assertThat(stub.requests().size()).isGreaterThanOrEqualTo(2);
        assertThat(sleeps).isNotEmpty();
    }

    @Test
    void backoffDoublesFromOneHundredMillisecondsUpToFiveSeconds()
    {
        for (int retry = 1; retry <= 6; retry++) {
            long base = 100L << (retry - 1);
            assertThat(RegistryHttp.backoffMillis(retry)).isBetween(base, base + base / 10);
        }
        for (int retry = 7; retry <= 40; retry++) {
            assertThat(RegistryHttp.backoffMillis(retry)).isEqualTo(5_000L);
        }
    }

    @Test
    void anInterruptedBackoffStopsRetryingAndKeepsTheInterrupt()
    {
        stub = RegistryStub.answering(503, UNAVAILABLE);
        client = new HttpSchemaRegistryClient(stub.settings(5), millis -> {
            throw new InterruptedException();
        });

        try {
            assertThatThrownBy(() -> client.subjects())
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.UNREACHABLE))
                    .hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(stub.requests()).hasSize(1);
        }
        finally {
            Thread.interrupted();
        }
    }

    @Test
    void aClosedClientRefusesRequests()
    {
        stub = RegistryStub.answering(200, SUBJECTS);
        client = new HttpSchemaRegistryClient(stub.settings(0), sleeps::add);
        client.close();

        assertThatThrownBy(() -> client.subjects()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(stub.requests()).isEmpty();
    }
}
