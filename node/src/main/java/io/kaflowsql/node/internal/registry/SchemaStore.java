package io.kaflowsql.node.internal.registry;

import io.kaflowsql.node.internal.registry.CompatibilityChecker.VersionedSchema;
import io.kaflowsql.node.internal.registry.CompatibilityChecker.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The registry's operations: subjects, versions, global ids and compatibility levels, kept in a
 * {@link RegistryState} and made durable through a {@link Log}.
 *
 * <p>Every change is first appended to the log and only applied in memory once the log acknowledged
 * it, so an answer the client saw survives a restart, and a failed append changes nothing. Ids are
 * global and sequential from 1; a schema already known under any subject keeps its id; registering a
 * schema a subject already has answers that version's id without adding a version.
 *
 * <p>Thread-safe: one lock serializes every operation (reads too, they are map look-ups), so id and
 * version assignment cannot race. Appends happen under that lock; they are rare and short.
 */
final class SchemaStore
{
    /** Version number meaning "the latest live version", as in Confluent's API. */
    static final int LATEST = -1;

    /** Where changes go before they are applied. */
    interface Log
    {
        /** Blocks until every record is durably stored, in order. @throws RuntimeException when it could not be */
        void append(List<RegistryRecord> records);
    }

    private final Log log;
    private final RegistryState state = new RegistryState();

    SchemaStore(Log log)
    {
        this.log = requireNonNull(log, "log is null");
    }

    /** Applies a record read back from the log at start. @throws IllegalArgumentException when it holds an invalid schema */
    synchronized void recover(RegistryRecord record)
    {
        state.apply(record);
    }

    /** Registers {@code schemaText} under {@code subject} if it is compatible; returns its global id. */
    synchronized int register(String subject, String schemaText)
    {
        CanonicalSchema schema = parse(schemaText);
        List<SchemaRecord> versions = state.liveVersions(subject);
        for (SchemaRecord version : versions) {
            if (version.schema().equals(schema.text())) {
                return version.id();
            }
        }
        CompatibilityLevel level = state.effectiveLevel(subject);
        Verdict verdict = CompatibilityChecker.check(level, schema.schema(), versioned(versions));
        if (!verdict.compatible()) {
            throw RegistryException.incompatible(subject, verdict.messages());
        }
        SchemaRecord record = new SchemaRecord(subject, state.nextVersion(subject), state.idFor(schema), schema.text(), false);
        write(List.of(record), "registering a schema under subject " + subject);
        return record.id();
    }

    synchronized CanonicalSchema schemaById(int id)
    {
        return state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound(id));
    }

    synchronized List<String> subjectsOf(int id)
    {
        state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound(id));
        return state.subjectsOf(id);
    }

    synchronized List<String> subjects()
    {
        return state.subjects();
    }

    synchronized List<Integer> versions(String subject)
    {
        return liveVersions(subject).stream().map(SchemaRecord::version).toList();
    }

    /** Version {@code version} of {@code subject}, or its latest with {@link #LATEST}. */
    synchronized SchemaRecord version(String subject, int version)
    {
        List<SchemaRecord> versions = liveVersions(subject);
        if (version == LATEST) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream().filter(record -> record.version() == version).findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(version));
    }

    /** The live version of {@code subject} that holds {@code schemaText}. */
    synchronized SchemaRecord lookup(String subject, String schemaText)
    {
        CanonicalSchema schema = parse(schemaText);
        return liveVersions(subject).stream().filter(record -> record.schema().equals(schema.text())).findFirst()
                .orElseThrow(RegistryException::schemaNotFound);
    }

    /**
     * Whether {@code schemaText} may follow {@code subject}'s versions under its level: against one
     * version when given (or {@link #LATEST}), else against the versions the level names.
     */
    synchronized Verdict testCompatibility(String subject, Optional<Integer> version, String schemaText)
    {
        CanonicalSchema schema = parse(schemaText);
        List<SchemaRecord> against = version.isPresent() ? List.of(version(subject, version.get())) : liveVersions(subject);
        return CompatibilityChecker.check(state.effectiveLevel(subject), schema.schema(), versioned(against));
    }

    synchronized CompatibilityLevel globalLevel()
    {
        return state.globalLevel();
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject)
    {
        return state.subjectLevel(subject);
    }

    /** Sets the global level, or {@code subject}'s own level when present. */
    synchronized void setLevel(Optional<String> subject, CompatibilityLevel level)
    {
        write(List.of(new ConfigRecord(subject, Optional.of(level))), "setting the compatibility level");
    }

    /** Removes {@code subject}'s own level; returns it. */
    synchronized CompatibilityLevel deleteSubjectLevel(String subject)
    {
        CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() -> RegistryException.subjectLevelNotConfigured(subject));
        write(List.of(new ConfigRecord(Optional.of(subject), Optional.empty())), "deleting the compatibility level of " + subject);
        return previous;
    }

    /** Soft-deletes every live version of {@code subject}; returns their numbers. Ids stay resolvable. */
    synchronized List<Integer> deleteSubject(String subject)
    {
        List<SchemaRecord> versions = liveVersions(subject);
        List<RegistryRecord> deleted = new ArrayList<>();
        versions.forEach(version -> deleted.add(version.asDeleted()));
        write(deleted, "deleting subject " + subject);
        return versions.stream().map(SchemaRecord::version).toList();
    }

    synchronized int schemaCount()
    {
        return state.schemaCount();
    }

    private List<SchemaRecord> liveVersions(String subject)
    {
        List<SchemaRecord> versions = state.liveVersions(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private void write(List<RegistryRecord> records, String what)
    {
        try {
            log.append(records);
        }
        catch (RuntimeException e) {
            throw RegistryException.storeFailure(what, e);
        }
        records.forEach(state::apply);
    }

    private List<VersionedSchema> versioned(List<SchemaRecord> versions)
    {
        return versions.stream()
                .map(version -> new VersionedSchema(version.version(), state.schema(version.id()).orElseThrow().schema()))
                .toList();
    }

    private static CanonicalSchema parse(String schemaText)
    {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("(empty): the request needs a \"schema\" string");
        }
        try {
            return CanonicalSchema.parse(schemaText);
        }
        catch (IllegalArgumentException e) {
            throw RegistryException.invalidSchema(schemaText + ", details: " + e.getMessage());
        }
    }
}
