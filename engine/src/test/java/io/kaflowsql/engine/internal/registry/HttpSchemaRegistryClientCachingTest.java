package io.kaflowsql.engine.internal.registry;

import com.fasterxml.jackson.databind.node.TextNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client remembers: ids are immutable, so each costs one request per process. */
class HttpSchemaRegistryClientCachingTest
{
    private static final Schema ORDER_V1 = SchemaBuilder.record("Order").namespace("shop").fields()
            .requiredString("id")
            .endRecord();
    private static final Schema ORDER_V2 = SchemaBuilder.record("Order").namespace("shop").fields()
            .requiredString("id")
            .optionalLong("amount")
            .endRecord();

    private final RegistryStub stub = RegistryStub.http(RegistryStubAnswers::byRoute);
    private final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.settings(0), millis -> {});

    @AfterEach
    void tearDown()
    {
        client.close();
        stub.close();
    }

    @Test
    void schemaByIdAsksTheRegistryOnce()
    {
        Schema first = client.schemaById(1);
        Schema second = client.schemaById(1);

        assertThat(first).isEqualTo(ORDER_V1);
        assertThat(second).isSameAs(first);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void registeringTheSameSchemaUnderTheSameSubjectAsksTheRegistryOnce()
    {
        int first = client.register("orders-value", ORDER_V1);
        int second = client.register("orders-value", SchemaBuilder.record("Order").namespace("shop").fields()
                .requiredString("id")
                .endRecord());

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(1);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void registeringUnderAnotherSubjectOrAnotherSchemaAsksAgain()
    {
        client.register("orders-value", ORDER_V1);
        client.register("orders-copy-value", ORDER_V1);
        int v2 = client.register("orders-value", ORDER_V2);

        assertThat(v2).isEqualTo(2);
        assertThat(stub.requests()).extracting(RegistryStub.Request::target)
                .containsExactly("/subjects/orders-value/versions", "/subjects/orders-copy-value/versions", "/subjects/orders-value/versions");
    }

    @Test
    void aRegisteredSchemaIsKnownByItsIdWithoutAsking()
    {
        int id = client.register("orders-value", ORDER_V2);

        assertThat(client.schemaById(id)).isSameAs(ORDER_V2);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void aLookedUpSchemaNeedsNoRegistration()
    {
        assertThat(client.lookup("orders-value", ORDER_V1)).isPresent();

        assertThat(client.register("orders-value", ORDER_V1)).isEqualTo(1);
        assertThat(client.schemaById(1)).isEqualTo(ORDER_V1);
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void twoVersionsOfTheSameNamedRecordAreBothParsed()
    {
        // one shared Schema.Parser would refuse the second: "Can't redefine: shop.Order"
        assertThat(client.schemaById(1)).isEqualTo(ORDER_V1);
        assertThat(client.schemaById(2)).isEqualTo(ORDER_V2);
        assertThat(client.latest("orders-value").schema()).isEqualTo(ORDER_V2);
    }

    @Test
    void latestIsAskedEveryTimeBecauseANewVersionMayHaveBeenRegistered()
    {
        client.latest("orders-value");
        client.latest("orders-value");

        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void compatibilityAndConfigAreNeverCached()
    {
        client.compatibilityLevel(Optional.empty());
        client.compatibilityLevel(Optional.empty());

        assertThat(stub.requests()).hasSize(2);
    }

    /** A registry knowing {@code shop.Order} v1 (id 1) and v2 (id 2) under {@code orders-value}. */
    private static final class RegistryStubAnswers
    {
        static RegistryStub.Response byRoute(RegistryStub.Request request, int index)
        {
            String target = request.target();
            if (target.startsWith("/schemas/ids/")) {
                int id = Integer.parseInt(target.substring("/schemas/ids/".length()));
                return ok("{\"schema\": " + quoted(id == 1 ? ORDER_V1 : ORDER_V2) + "}");
            }
            if (target.endsWith("/versions") && request.method().equals("POST")) {
                return ok("{\"id\": " + (request.body().contains("amount") ? 2 : 1) + "}");
            }
            if (target.equals("/subjects/orders-value") && request.method().equals("POST")) {
                return ok("{\"subject\": \"orders-value\", \"id\": 1, \"version\": 1, \"schema\": " + quoted(ORDER_V1) + "}");
            }
            if (target.equals("/subjects/orders-value/versions/latest")) {
                return ok("{\"subject\": \"orders-value\", \"id\": 2, \"version\": 2, \"schema\": " + quoted(ORDER_V2) + "}");
            }
            if (target.equals("/config")) {
                return ok("{\"compatibilityLevel\": \"BACKWARD\"}");
            }
            return new RegistryStub.Response(404, "{\"error_code\": 404, \"message\": \"HTTP 404 Not Found\"}");
        }

        private static RegistryStub.Response ok(String body)
        {
            return new RegistryStub.Response(200, body);
        }

        private static String quoted(Schema schema)
        {
            return TextNode.valueOf(schema.toString()).toString();
        }
    }
}
