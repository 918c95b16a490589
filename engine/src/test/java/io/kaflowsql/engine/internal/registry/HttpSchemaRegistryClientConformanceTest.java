package io.kaflowsql.engine.internal.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient.CompatibilityResult;
import io.kaflowsql.engine.api.registry.SchemaRegistryClient.RegisteredSchema;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client against the request/response examples of the Confluent Schema Registry API reference,
 * https://docs.confluent.io/platform/current/schema-registry/develop/api.html (source:
 * confluentinc/schema-registry {@code docs/develop/api.rst}). The stub serves the documented response
 * bodies verbatim; each test then checks the request the client sent: method, path, media types and body.
 *
 * <p>Request bodies are compared as Avro schemas, not as text: the client sends Avro's own rendering of
 * the schema ({@code "string"} for the documented {@code {"type": "string"}}), which the registry
 * canonicalizes the same way.
 */
class HttpSchemaRegistryClientConformanceTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    // documented examples, verbatim
    private static final String STRING_SCHEMA = "{\"type\": \"string\"}";
    private static final String SCHEMA_BY_ID = """
            {
              "schema": "{\\"type\\": \\"string\\"}"
            }""";
    private static final String SUBJECTS = "[\"subject1\", \"subject2\"]";
    private static final String VERSIONS = """
            [
              1, 2, 3, 4
            ]""";
    private static final String SUBJECT_VERSION = """
            {
              "subject": "test",
              "id": 1,
              "version": 1,
              "schema": "{\\"type\\": \\"string\\"}"
            }""";
    private static final String REGISTERED = "{\"id\":1}";
    private static final String LOOKED_UP = """
            {
              "subject": "test",
              "id": 1,
              "version": 3,
              "schema": "{\\"type\\": \\"string\\"}"
            }""";
    private static final String COMPATIBLE = """
            {
              "is_compatible": true
            }""";
    private static final String INCOMPATIBLE_VERBOSE = """
            {
              "is_compatible": false,
              "messages": ["Incompatibility{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:/fields/1, message:field2, reader:..., writer:...}"]
            }""";
    private static final String CONFIG = """
            {
              "compatibilityLevel": "FULL"
            }""";
    private static final String CONFIG_UPDATED = """
            {
              "compatibility": "FULL"
            }""";
    // the record of the register example in docs/develop/api.rst
    private static final String RECORD_SCHEMA = """
            {
               "type": "record",
               "name": "test",
               "fields":
                 [
                   {
                     "type": "string",
                     "name": "field1"
                   },
                   {
                     "type": "int",
                     "name": "field2"
                   }
                 ]
             }""";

    private static final String SUBJECT_NOT_FOUND = "{\"error_code\": 40401, \"message\": \"Subject 'test' not found.\"}";
    private static final String VERSION_NOT_FOUND = "{\"error_code\": 40402, \"message\": \"Version 7 not found.\"}";
    private static final String SCHEMA_NOT_FOUND = "{\"error_code\": 40403, \"message\": \"Schema not found\"}";
    private static final String INCOMPATIBLE = "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible with an earlier schema for subject \\\"test\\\"\"}";
    private static final String INVALID_SCHEMA = "{\"error_code\": 42201, \"message\": \"Invalid schema\"}";
    private static final String INVALID_LEVEL = "{\"error_code\": 42203, \"message\": \"Invalid compatibility level\"}";
    private static final String STORE_ERROR = "{\"error_code\": 50001, \"message\": \"Error in the backend data store\"}";

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown()
            throws Exception
    {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void schemaByIdGetsTheDocumentedSchema()
    {
        RegistryStub stub = stub(200, SCHEMA_BY_ID);

        Schema schema = client(stub).schemaById(1);

        assertThat(schema).isEqualTo(Schema.create(Schema.Type.STRING));
        assertRequest(stub.onlyRequest(), "GET", "/schemas/ids/1");
    }

    @Test
    void subjectsListsTheDocumentedSubjects()
    {
        RegistryStub stub = stub(200, SUBJECTS);

        assertThat(client(stub).subjects()).containsExactly("subject1", "subject2");
        assertRequest(stub.onlyRequest(), "GET", "/subjects");
    }

    @Test
    void versionsListsTheDocumentedVersions()
    {
        RegistryStub stub = stub(200, VERSIONS);

        assertThat(client(stub).versions("test")).containsExactly(1, 2, 3, 4);
        assertRequest(stub.onlyRequest(), "GET", "/subjects/test/versions");
    }

    @Test
    void versionGetsTheDocumentedSubjectVersion()
    {
        RegistryStub stub = stub(200, SUBJECT_VERSION);

        RegisteredSchema registered = client(stub).version("test", 1);

        assertThat(registered).isEqualTo(new RegisteredSchema("test", 1, 1, Schema.create(Schema.Type.STRING)));
        assertRequest(stub.onlyRequest(), "GET", "/subjects/test/versions/1");
    }

    @Test
    void latestGetsTheLatestVersionOfTheSubject()
    {
        RegistryStub stub = stub(200, SUBJECT_VERSION);

        RegisteredSchema registered = client(stub).latest("test");

        assertThat(registered).isEqualTo(new RegisteredSchema("test", 1, 1, Schema.create(Schema.Type.STRING)));
        assertRequest(stub.onlyRequest(), "GET", "/subjects/test/versions/latest");
    }

    @Test
    void registerPostsTheSchemaAsAStringAndReturnsTheDocumentedId()
    {
        RegistryStub stub = stub(200, REGISTERED);

        int id = client(stub).register("test", parse(STRING_SCHEMA));

        assertThat(id).isEqualTo(1);
        assertRequestWithSchema(stub.onlyRequest(), "POST", "/subjects/test/versions", STRING_SCHEMA);
    }

    @Test
    void registerPostsTheDocumentedRecordSchema()
    {
        RegistryStub stub = stub(200, REGISTERED);

        int id = client(stub).register("test", parse(RECORD_SCHEMA));

        assertThat(id).isEqualTo(1);
        assertRequestWithSchema(stub.onlyRequest(), "POST", "/subjects/test/versions", RECORD_SCHEMA);
    }

    @Test
    void lookupPostsTheSchemaToTheSubjectAndReturnsTheDocumentedVersion()
    {
        RegistryStub stub = stub(200, LOOKED_UP);

        Optional<RegisteredSchema> found = client(stub).lookup("test", parse(STRING_SCHEMA));

        assertThat(found).contains(new RegisteredSchema("test", 3, 1, Schema.create(Schema.Type.STRING)));
        assertRequestWithSchema(stub.onlyRequest(), "POST", "/subjects/test", STRING_SCHEMA);
    }

    @Test
    void testCompatibilityPostsAgainstTheLatestVersionInVerboseMode()
    {
        RegistryStub stub = stub(200, COMPATIBLE);

        CompatibilityResult result = client(stub).testCompatibility("test", parse(STRING_SCHEMA));

        assertThat(result).isEqualTo(new CompatibilityResult(true, List.of()));
        assertRequestWithSchema(stub.onlyRequest(), "POST", "/compatibility/subjects/test/versions/latest?verbose=true", STRING_SCHEMA);
    }

    @Test
    void testCompatibilityReturnsTheVerboseMessagesOfAnIncompatibleSchema()
    {
        RegistryStub stub = stub(200, INCOMPATIBLE_VERBOSE);

        CompatibilityResult result = client(stub).testCompatibility("test", parse(RECORD_SCHEMA));

        assertThat(result.compatible()).isFalse();
        assertThat(result.messages()).singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void globalCompatibilityLevelIsTheDocumentedConfig()
    {
        RegistryStub stub = stub(200, CONFIG);

        assertThat(client(stub).compatibilityLevel(Optional.empty())).isEqualTo("FULL");
        assertRequest(stub.onlyRequest(), "GET", "/config");
    }

    @Test
    void subjectCompatibilityLevelFallsBackToTheGlobalOne()
    {
        RegistryStub stub = stub(200, CONFIG);

        assertThat(client(stub).compatibilityLevel(Optional.of("test"))).isEqualTo("FULL");
        assertRequest(stub.onlyRequest(), "GET", "/config/test?defaultToGlobal=true");
    }

    @Test
    void setGlobalCompatibilityLevelPutsTheDocumentedBody()
            throws Exception
    {
        RegistryStub stub = stub(200, CONFIG_UPDATED);

        client(stub).setCompatibilityLevel(Optional.empty(), "FULL");

        RegistryStub.Request request = stub.onlyRequest();
        assertRequest(request, "PUT", "/config");
        assertThat(request.contentType()).contains(RegistryStub.MEDIA_TYPE);
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"compatibility\": \"FULL\"}"));
    }

    @Test
    void setSubjectCompatibilityLevelPutsToTheSubjectConfig()
            throws Exception
    {
        RegistryStub stub = stub(200, CONFIG_UPDATED);

        client(stub).setCompatibilityLevel(Optional.of("test"), "BACKWARD");

        RegistryStub.Request request = stub.onlyRequest();
        assertRequest(request, "PUT", "/config/test");
        assertThat(JSON.readTree(request.body())).isEqualTo(JSON.readTree("{\"compatibility\": \"BACKWARD\"}"));
    }

    @Test
    void subjectNamesArePercentEncodedAsOnePathSegment()
    {
        RegistryStub stub = stub(200, VERSIONS);

        client(stub).versions("team/orders:v1 value+key");

        assertRequest(stub.onlyRequest(), "GET", "/subjects/team%2Forders%3Av1%20value%2Bkey/versions");
    }

    @Test
    void subjectNotFoundIsANotFoundExceptionNamingTheRequestAndTheRegistryMessage()
    {
        RegistryStub stub = stub(404, SUBJECT_NOT_FOUND);

        assertThatThrownBy(() -> client(stub).version("test", 1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
                    assertThat(e.isNotFound()).isTrue();
                    assertThat(e.isUnavailable()).isFalse();
                })
                .hasMessageContaining("GET /subjects/test/versions/1")
                .hasMessageContaining("Subject 'test' not found.");
    }

    @Test
    void versionNotFoundCarriesItsErrorCode()
    {
        RegistryStub stub = stub(404, VERSION_NOT_FOUND);

        assertThatThrownBy(() -> client(stub).version("test", 7))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
    }

    @Test
    void schemaNotFoundByIdIsAnException()
    {
        RegistryStub stub = stub(404, SCHEMA_NOT_FOUND);

        assertThatThrownBy(() -> client(stub).schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.isNotFound()).isTrue();
                })
                .hasMessageContaining("GET /schemas/ids/1")
                .hasMessageContaining("Schema not found");
    }

    @Test
    void lookupOfAnUnknownSubjectIsEmpty()
    {
        RegistryStub stub = stub(404, SUBJECT_NOT_FOUND);

        assertThat(client(stub).lookup("test", parse(STRING_SCHEMA))).isEmpty();
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void lookupOfAnUnregisteredSchemaIsEmpty()
    {
        RegistryStub stub = stub(404, SCHEMA_NOT_FOUND);

        assertThat(client(stub).lookup("test", parse(STRING_SCHEMA))).isEmpty();
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void anythingIsCompatibleWithASubjectThatDoesNotExist()
    {
        RegistryStub stub = stub(404, SUBJECT_NOT_FOUND);

        CompatibilityResult result = client(stub).testCompatibility("test", parse(RECORD_SCHEMA));

        assertThat(result).isEqualTo(new CompatibilityResult(true, List.of()));
    }

    @Test
    void incompatibleSchemaIsAnIncompatibleExceptionAndIsNotRetried()
    {
        RegistryStub stub = stub(409, INCOMPATIBLE);

        assertThatThrownBy(() -> client(stub, 3).register("test", parse(RECORD_SCHEMA)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.isUnavailable()).isFalse();
                })
                .hasMessageContaining("POST /subjects/test/versions")
                .hasMessageContaining("incompatible with an earlier schema for subject \"test\"");
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void invalidSchemaIsAnInvalidSchemaException()
    {
        RegistryStub stub = stub(422, INVALID_SCHEMA);

        assertThatThrownBy(() -> client(stub, 3).register("test", parse(STRING_SCHEMA)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA);
                })
                .hasMessageContaining("Invalid schema");
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void invalidCompatibilityLevelIsAnException()
    {
        RegistryStub stub = stub(422, INVALID_LEVEL);

        assertThatThrownBy(() -> client(stub).setCompatibilityLevel(Optional.empty(), "SIDEWAYS"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
    }

    @Test
    void backendStoreErrorIsAnUnavailableException()
    {
        RegistryStub stub = stub(500, STORE_ERROR);

        assertThatThrownBy(() -> client(stub).subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isUnavailable()).isTrue();
                })
                .hasMessageContaining("GET /subjects")
                .hasMessageContaining("Error in the backend data store");
    }

    @Test
    void anErrorBodyThatIsNotRegistryJsonTakesTheHttpStatusAsErrorCode()
    {
        RegistryStub stub = stub(403, "<html><body>Forbidden by proxy</body></html>");

        assertThatThrownBy(() -> client(stub).subjects())
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.errorCode()).isEqualTo(403);
                })
                .hasMessageContaining("Forbidden by proxy");
    }

    @Test
    void aSuccessAnswerWithoutTheExpectedFieldIsAnException()
    {
        RegistryStub stub = stub(200, "{\"identifier\": 1}");

        assertThatThrownBy(() -> client(stub).register("test", parse(STRING_SCHEMA)))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(200))
                .hasMessageContaining("'id'");
    }

    @Test
    void aSchemaThatIsNotAvroIsAnException()
    {
        RegistryStub stub = stub(200, "{\"schema\": \"syntax = \\\"proto3\\\"; message M {}\", \"schemaType\": \"PROTOBUF\"}");

        assertThatThrownBy(() -> client(stub).schemaById(9))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not an Avro schema");
    }

    private static void assertRequest(RegistryStub.Request request, String method, String target)
    {
        assertThat(request.method()).isEqualTo(method);
        assertThat(request.target()).isEqualTo(target);
        assertThat(request.accept()).hasValueSatisfying(accept -> assertThat(accept).contains(RegistryStub.MEDIA_TYPE));
    }

    /** The body is exactly {@code {"schema": "<schema>"}} (no schemaType: AVRO is the default) with the documented schema. */
    private static void assertRequestWithSchema(RegistryStub.Request request, String method, String target, String documentedSchema)
    {
        assertRequest(request, method, target);
        assertThat(request.contentType()).contains(RegistryStub.MEDIA_TYPE);
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        }
        catch (Exception e) {
            throw new AssertionError("request body is not JSON: " + request.body(), e);
        }
        assertThat(body.isObject()).isTrue();
        assertThat(body.fieldNames()).toIterable().containsExactly("schema");
        assertThat(body.get("schema").isTextual()).isTrue();
        assertThat(parse(body.get("schema").asText())).isEqualTo(parse(documentedSchema));
    }

    private static Schema parse(String schema)
    {
        return new Schema.Parser().parse(schema);
    }

    private RegistryStub stub(int status, String body)
    {
        RegistryStub stub = RegistryStub.answering(status, body);
        resources.add(stub);
        return stub;
    }

    private HttpSchemaRegistryClient client(RegistryStub stub)
    {
        return client(stub, 0);
    }

    private HttpSchemaRegistryClient client(RegistryStub stub, int maxRetries)
    {
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(stub.settings(maxRetries), millis -> {});
        resources.add(client);
        return client;
    }
}
