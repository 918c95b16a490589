package io.kaflowsql.engine.internal.registry;

import io.kaflowsql.engine.api.registry.SchemaRegistryClient;
import io.kaflowsql.engine.api.registry.SchemaRegistryException;
import io.kaflowsql.engine.api.runtime.SchemaRegistrySettings;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.net.URLEncoder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API v1, with the JDK HTTP client.
 *
 * <p>Two caches, neither ever evicted: {@code (subject, schema) -> id} so that registering the schema
 * a serializer already registered costs no request, and {@code id -> schema} because ids are immutable
 * (the registry never reuses an id for another schema). Both only grow with the number of distinct
 * schemas a process meets, which is small.
 *
 * <p>Schemas are parsed with a new {@link Schema.Parser} each time: a parser is not thread-safe and
 * refuses to define a named type twice, so a shared one would fail on the second schema naming a record
 * the first one named.
 *
 * <p>Thread-safe. Two threads missing the cache at once may both send the request; the registry answers
 * both the same, so the duplicate is harmless and cheaper than holding a lock across HTTP.
 */
public final class HttpSchemaRegistryClient
        implements SchemaRegistryClient
{
    private final RegistryHttp http;
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public HttpSchemaRegistryClient(SchemaRegistrySettings settings)
    {
        this(settings, RegistryHttp.Sleeper.THREAD_SLEEP);
    }

    /** For tests: {@code sleeper} waits between retries. */
    HttpSchemaRegistryClient(SchemaRegistrySettings settings, RegistryHttp.Sleeper sleeper)
    {
        this.http = new RegistryHttp(settings, sleeper);
    }

    @Override
    public int register(String subject, Schema schema)
    {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = RegistryJson.id(post("/subjects/" + encode(subject) + "/versions", RegistryJson.schemaRequest(schema)));
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id)
    {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        RegistryAnswer answer = get("/schemas/ids/" + id);
        Schema schema = parse(answer, RegistryJson.schemaText(answer));
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    @Override
    public RegisteredSchema latest(String subject)
    {
        return registered(get("/subjects/" + encode(subject) + "/versions/latest"));
    }

    @Override
    public RegisteredSchema version(String subject, int version)
    {
        return registered(get("/subjects/" + encode(subject) + "/versions/" + version));
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema)
    {
        RegistryAnswer answer;
        try {
            answer = post("/subjects/" + encode(subject), RegistryJson.schemaRequest(schema));
        }
        catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        RegisteredSchema registered = registered(answer);
        idsBySubjectSchema.putIfAbsent(new SubjectSchema(subject, schema), registered.id());
        return Optional.of(registered);
    }

    /** A subject without versions answers 404 (40401, or 40402 once all versions are deleted): anything is compatible. */
    @Override
    public CompatibilityResult testCompatibility(String subject, Schema schema)
    {
        try {
            return RegistryJson.compatibility(post("/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    RegistryJson.schemaRequest(schema)));
        }
        catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND) {
                return new CompatibilityResult(true, List.of());
            }
            throw e;
        }
    }

    @Override
    public String compatibilityLevel(Optional<String> subject)
    {
        String path = subject.map(name -> "/config/" + encode(name) + "?defaultToGlobal=true").orElse("/config");
        return RegistryJson.compatibilityLevel(get(path));
    }

    @Override
    public void setCompatibilityLevel(Optional<String> subject, String level)
    {
        requireNonNull(level, "level is null");
        String path = subject.map(name -> "/config/" + encode(name)).orElse("/config");
        http.send("PUT", path, Optional.of(RegistryJson.compatibilityRequest(level)));
    }

    @Override
    public List<String> subjects()
    {
        return RegistryJson.stringList(get("/subjects"));
    }

    @Override
    public List<Integer> versions(String subject)
    {
        return RegistryJson.intList(get("/subjects/" + encode(subject) + "/versions"));
    }

    @Override
    public void close()
    {
        http.close();
    }

    @Override
    public String toString()
    {
        return "HttpSchemaRegistryClient[" + http.baseUrl() + "]";
    }

    private RegisteredSchema registered(RegistryAnswer answer)
    {
        RegistryJson.SubjectVersion version = RegistryJson.subjectVersion(answer);
        Schema schema = schemasById.get(version.id());
        if (schema == null) {
            schema = parse(answer, version.schema());
            Schema previous = schemasById.putIfAbsent(version.id(), schema);
            schema = previous == null ? schema : previous;
        }
        return new RegisteredSchema(version.subject(), version.version(), version.id(), schema);
    }

    private RegistryAnswer get(String path)
    {
        return http.send("GET", path, Optional.empty());
    }

    private RegistryAnswer post(String path, String body)
    {
        return http.send("POST", path, Optional.of(body));
    }

    /** A new parser per schema: parsers are not thread-safe and refuse to redefine a named type. */
    private static Schema parse(RegistryAnswer answer, String schemaText)
    {
        try {
            return new Schema.Parser().parse(schemaText);
        }
        catch (SchemaParseException e) {
            throw answer.invalid("not an Avro schema (" + e.getMessage() + ")", e);
        }
    }

    /** One path segment: '/', ':', ' ' and the rest percent-encoded ({@link URLEncoder} writes ' ' as '+', a literal plus in a path). */
    static String encode(String subject)
    {
        requireNonNull(subject, "subject is null");
        return URLEncoder.encode(subject, UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, Schema schema)
    {
        SubjectSchema
        {
            requireNonNull(subject, "subject is null");
            requireNonNull(schema, "schema is null");
        }
    }
}
