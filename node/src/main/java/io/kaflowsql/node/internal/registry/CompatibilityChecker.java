package io.kaflowsql.node.internal.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Decides whether a candidate schema may follow a subject's earlier versions under a
 * {@link CompatibilityLevel}, with Avro's own {@link SchemaCompatibility} deciding each reader/writer
 * pair. A pure function: no I/O, no state.
 *
 * <p>Like Confluent's registry, earlier versions are checked from the newest to the oldest and the
 * check stops at the first incompatible version; the messages then describe every Avro
 * incompatibility with that version, followed by {@code {oldSchemaVersion: N}},
 * {@code {oldSchema: '...'}} and {@code {compatibility: 'LEVEL'}}, which is the shape Confluent's
 * verbose answers have.
 *
 * <p>Thread-safe (stateless).
 */
final class CompatibilityChecker
{
    private CompatibilityChecker() {}

    /** An earlier version of the subject. */
    record VersionedSchema(int version, Schema schema)
    {
        VersionedSchema
        {
            requireNonNull(schema, "schema is null");
        }
    }

    /** The outcome: compatible, or not with human-readable reasons. */
    record Verdict(boolean compatible, List<String> messages)
    {
        Verdict
        {
            messages = List.copyOf(messages);
        }

        static final Verdict COMPATIBLE = new Verdict(true, List.of());
    }

    /**
     * @param previous the versions to check against, oldest first; for a non-transitive level only
     *        the last one is used
     */
    static Verdict check(CompatibilityLevel level, Schema candidate, List<VersionedSchema> previous)
    {
        requireNonNull(level, "level is null");
        requireNonNull(candidate, "candidate is null");
        requireNonNull(previous, "previous is null");
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return Verdict.COMPATIBLE;
        }
        int oldest = level.transitive() ? 0 : previous.size() - 1;
        for (int i = previous.size() - 1; i >= oldest; i--) {
            VersionedSchema old = previous.get(i);
            List<String> messages = new ArrayList<>();
            if (level.backward()) {
                messages.addAll(incompatibilities(candidate, old.schema(), "new", "old"));
            }
            if (level.forward()) {
                messages.addAll(incompatibilities(old.schema(), candidate, "old", "new"));
            }
            if (!messages.isEmpty()) {
                messages.add("{oldSchemaVersion: " + old.version() + "}");
                messages.add("{oldSchema: '" + old.schema() + "'}");
                messages.add("{compatibility: '" + level + "'}");
                return new Verdict(false, messages);
            }
        }
        return Verdict.COMPATIBLE;
    }

    private static List<String> incompatibilities(Schema reader, Schema writer, String readerName, String writerName)
    {
        SchemaCompatibility.SchemaCompatibilityResult result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            messages.add("{errorType:'" + incompatibility.getType()
                    + "', description:'The " + readerName + " schema cannot read data written with the " + writerName
                    + " schema at path '" + incompatibility.getLocation() + "'"
                    + "', additionalInfo:'" + incompatibility.getMessage() + "'}");
        }
        return messages;
    }
}
