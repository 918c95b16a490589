package io.kaflowsql.node.internal.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.node.internal.registry.CompatibilityChecker.Verdict;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.kaflowsql.node.internal.registry.RegistryRecord.JSON;
import static java.util.Objects.requireNonNull;

/**
 * Maps the Confluent Schema Registry REST paths to {@link SchemaStore} operations: path segments
 * (URL-decoded, so a subject may contain any character) and method in, {@link RegistryResponse} out.
 * Knows nothing of the HTTP server, so every route is a plain method call. Errors are thrown as
 * {@link RegistryException}: 404 for unknown paths, 405 for a known path with the wrong method.
 *
 * <p>Thread-safe (the store is; this class holds no state of its own).
 */
final class RegistryRouter
{
    private final SchemaStore store;
    private final RequestBodies bodies = new RequestBodies();

    RegistryRouter(SchemaStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    RegistryResponse route(String method, String rawPath, Map<String, String> query, byte[] body)
    {
        List<String> path = segments(rawPath);
        if (path.isEmpty()) {
            allow(method, "GET");
            return RegistryResponse.ok(JSON.createObjectNode());
        }
        return switch (path.get(0)) {
            case "subjects" -> subjects(method, path, query, body);
            case "schemas" -> schemas(method, path);
            case "compatibility" -> compatibility(method, path, query, body);
            case "config" -> config(method, path, query, body);
            default -> throw RegistryException.notFound();
        };
    }

    private RegistryResponse subjects(String method, List<String> path, Map<String, String> query, byte[] body)
    {
        if (path.size() == 1) {
            allow(method, "GET");
            return RegistryResponse.ok(store.subjects());
        }
        String subject = path.get(1);
        if (path.size() == 2) {
            allow(method, "POST", "DELETE");
            if (method.equals("DELETE")) {
                return RegistryResponse.ok(store.deleteSubject(subject));
            }
            return RegistryResponse.ok(describe(store.lookup(subject, bodies.schema(body))));
        }
        if (!path.get(2).equals("versions") || path.size() > 5) {
            throw RegistryException.notFound();
        }
        if (path.size() == 3) {
            allow(method, "GET", "POST");
            if (method.equals("GET")) {
                return RegistryResponse.ok(store.versions(subject));
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", store.register(subject, bodies.schema(body)));
            return RegistryResponse.ok(answer);
        }
        if (path.size() == 5 && !path.get(4).equals("schema")) {
            throw RegistryException.notFound();
        }
        allow(method, "GET");
        SchemaRecord record = store.version(subject, version(path.get(3)));
        return path.size() == 5 ? RegistryResponse.raw(record.schema()) : RegistryResponse.ok(describe(record));
    }

    private RegistryResponse schemas(String method, List<String> path)
    {
        if (path.size() == 2 && path.get(1).equals("types")) {
            allow(method, "GET");
            return RegistryResponse.ok(List.of("AVRO"));
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(1).equals("ids") || (path.size() == 4 && !path.get(3).equals("subjects"))) {
            throw RegistryException.notFound();
        }
        allow(method, "GET");
        int id = schemaId(path.get(2));
        if (path.size() == 4) {
            return RegistryResponse.ok(store.subjectsOf(id));
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("schema", store.schemaById(id).text());
        return RegistryResponse.ok(answer);
    }

    private RegistryResponse compatibility(String method, List<String> path, Map<String, String> query, byte[] body)
    {
        if (path.size() < 4 || path.size() > 5 || !path.get(1).equals("subjects") || !path.get(3).equals("versions")) {
            throw RegistryException.notFound();
        }
        allow(method, "POST");
        Optional<Integer> version = path.size() == 5 ? Optional.of(version(path.get(4))) : Optional.empty();
        Verdict verdict = store.testCompatibility(path.get(2), version, bodies.schema(body));
        ObjectNode answer = JSON.createObjectNode();
        answer.put("is_compatible", verdict.compatible());
        if (Boolean.parseBoolean(query.get("verbose"))) {
            ArrayNode messages = answer.putArray("messages");
            verdict.messages().forEach(messages::add);
        }
        return RegistryResponse.ok(answer);
    }

    private RegistryResponse config(String method, List<String> path, Map<String, String> query, byte[] body)
    {
        if (path.size() > 2) {
            throw RegistryException.notFound();
        }
        Optional<String> subject = path.size() == 2 ? Optional.of(path.get(1)) : Optional.empty();
        if (subject.isEmpty()) {
            allow(method, "GET", "PUT");
        }
        else {
            allow(method, "GET", "PUT", "DELETE");
        }
        switch (method) {
            case "PUT" -> {
                CompatibilityLevel level = bodies.compatibilityLevel(body);
                store.setLevel(subject, level);
                return RegistryResponse.ok(level("compatibility", level));
            }
            case "DELETE" -> {
                return RegistryResponse.ok(level("compatibilityLevel", store.deleteSubjectLevel(subject.orElseThrow())));
            }
            default -> {
                if (subject.isEmpty()) {
                    return RegistryResponse.ok(level("compatibilityLevel", store.globalLevel()));
                }
                Optional<CompatibilityLevel> own = store.subjectLevel(subject.get());
                if (own.isEmpty() && !Boolean.parseBoolean(query.get("defaultToGlobal"))) {
                    throw RegistryException.subjectLevelNotConfigured(subject.get());
                }
                return RegistryResponse.ok(level("compatibilityLevel", own.orElseGet(store::globalLevel)));
            }
        }
    }

    private static ObjectNode describe(SchemaRecord record)
    {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("subject", record.subject());
        answer.put("version", record.version());
        answer.put("id", record.id());
        answer.put("schema", record.schema());
        return answer;
    }

    private static ObjectNode level(String field, CompatibilityLevel level)
    {
        ObjectNode answer = JSON.createObjectNode();
        answer.put(field, level.name());
        return answer;
    }

    /** {@code latest} or {@code -1} mean {@link SchemaStore#LATEST}; otherwise a number from 1. */
    private static int version(String text)
    {
        if (text.equals("latest") || text.equals("-1")) {
            return SchemaStore.LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        }
        catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw RegistryException.invalidVersion(text);
    }

    private static int schemaId(String text)
    {
        try {
            return Integer.parseInt(text);
        }
        catch (NumberFormatException e) {
            throw new RegistryException(404, 40403, "Schema " + text + " not found");
        }
    }

    private static void allow(String method, String... methods)
    {
        if (!Arrays.asList(methods).contains(method)) {
            throw RegistryException.methodNotAllowed();
        }
    }

    /** The non-empty path segments, each URL-decoded ({@code +} stays a plus: this is a path, not a form). */
    private static List<String> segments(String rawPath)
    {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            try {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException e) {
                throw RegistryException.notFound();
            }
        }
        return segments;
    }
}
