package io.kaflowsql.node.internal.registry;

import io.kaflowsql.node.internal.registry.CompatibilityChecker.VersionedSchema;
import io.kaflowsql.node.internal.registry.CompatibilityChecker.Verdict;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's decisions without Kafka or HTTP: compatibility levels, ids, versions, recovery from the log. */
class SchemaRegistryStoreTest
{
    private static final String V1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    private static final String WITH_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}");
    private static final String WITH_REQUIRED = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}");
    private static final String EMPTY = record("");

    @Test
    void backwardAcceptsAFieldWithDefaultAndRejectsARequiredOneWithReasons()
    {
        List<VersionedSchema> previous = List.of(new VersionedSchema(1, parse(V1)));

        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, parse(WITH_DEFAULT), previous).compatible()).isTrue();
        Verdict rejected = CompatibilityChecker.check(CompatibilityLevel.BACKWARD, parse(WITH_REQUIRED), previous);
        assertThat(rejected.compatible()).isFalse();
        assertThat(rejected.messages()).anyMatch(message -> message.contains("READER_FIELD_MISSING_DEFAULT_VALUE") && message.contains("/fields/1"))
                .contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}");
        assertThat(CompatibilityChecker.check(CompatibilityLevel.NONE, parse(WITH_REQUIRED), previous).compatible()).isTrue();
    }

    @Test
    void forwardAndFullCheckThatTheOldSchemaReadsNewData()
    {
        List<VersionedSchema> previous = List.of(new VersionedSchema(1, parse(V1)));

        // the old reader ignores an added field, but misses a removed one that has no default
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, parse(WITH_REQUIRED), previous).compatible()).isTrue();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FORWARD, parse(EMPTY), previous).compatible()).isFalse();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, parse(EMPTY), previous).compatible()).isTrue();

        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, parse(WITH_DEFAULT), previous).compatible()).isTrue();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, parse(WITH_REQUIRED), previous).compatible()).isFalse();
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL, parse(EMPTY), previous).compatible()).isFalse();
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionNotOnlyTheLatest()
    {
        // v1 has a string a, v2 dropped it, the candidate brings a back as an int with a default
        List<VersionedSchema> previous = List.of(new VersionedSchema(1, parse(V1)), new VersionedSchema(2, parse(EMPTY)));
        Schema candidate = parse(record("{\"name\":\"a\",\"type\":\"int\",\"default\":0}"));

        assertThat(CompatibilityChecker.check(CompatibilityLevel.BACKWARD, candidate, previous).compatible()).isTrue();
        Verdict transitive = CompatibilityChecker.check(CompatibilityLevel.BACKWARD_TRANSITIVE, candidate, previous);
        assertThat(transitive.compatible()).isFalse();
        assertThat(transitive.messages()).contains("{oldSchemaVersion: 1}").anyMatch(message -> message.contains("TYPE_MISMATCH"));
        assertThat(CompatibilityChecker.check(CompatibilityLevel.FULL_TRANSITIVE, candidate, previous).compatible()).isFalse();
    }

    @Test
    void idsAreGlobalAndReusedWhileVersionsArePerSubject()
    {
        SchemaStore store = new SchemaStore(new MemoryLog());

        assertThat(store.register("a-value", V1)).isEqualTo(1);
        assertThat(store.register("a-value", " " + V1.replace(",", " , "))).as("same schema, other spacing").isEqualTo(1);
        assertThat(store.register("a-value", WITH_DEFAULT)).isEqualTo(2);
        assertThat(store.register("b-value", V1)).as("known schema under another subject").isEqualTo(1);

        assertThat(store.versions("a-value")).containsExactly(1, 2);
        assertThat(store.versions("b-value")).containsExactly(1);
        assertThat(store.subjectsOf(1)).containsExactly("a-value", "b-value");
        assertThat(store.version("a-value", SchemaStore.LATEST).id()).isEqualTo(2);
    }

    @Test
    void aFailedAppendChangesNothing()
    {
        MemoryLog log = new MemoryLog();
        SchemaStore store = new SchemaStore(log);
        log.failing = true;

        assertThatThrownBy(() -> store.register("a-value", V1)).isInstanceOfSatisfying(RegistryException.class,
                error -> assertThat(error.errorCode()).isEqualTo(50001));
        assertThat(store.subjects()).isEmpty();

        log.failing = false;
        assertThat(store.register("a-value", V1)).isEqualTo(1);
    }

    @Test
    void replayingTheLogRestoresSubjectsIdsLevelsAndDeletions()
    {
        MemoryLog log = new MemoryLog();
        SchemaStore store = new SchemaStore(log);
        store.register("a-value", V1);
        store.register("a-value", WITH_DEFAULT);
        store.register("b-value", EMPTY);
        store.setLevel(Optional.empty(), CompatibilityLevel.FULL);
        store.setLevel(Optional.of("a-value"), CompatibilityLevel.NONE);
        store.deleteSubject("b-value");

        SchemaStore restored = new SchemaStore(new MemoryLog());
        log.records.forEach(record -> restored.recover(RegistryRecord.decode(record.key(), record.value()).orElseThrow()));

        assertThat(restored.subjects()).containsExactly("a-value");
        assertThat(restored.versions("a-value")).containsExactly(1, 2);
        assertThat(restored.schemaById(3).text()).isEqualTo(parse(EMPTY).toString());
        assertThat(restored.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(restored.subjectLevel("a-value")).contains(CompatibilityLevel.NONE);
        assertThat(restored.register("c-value", record("{\"name\":\"z\",\"type\":\"long\"}"))).isEqualTo(4);
        // a deleted subject starts again after its last version number, with the schema's old id
        assertThat(restored.register("b-value", EMPTY)).isEqualTo(3);
        assertThat(restored.version("b-value", SchemaStore.LATEST).version()).isEqualTo(2);
    }

    @Test
    void recoveredSchemaTextIsCanonicalisedSoReRegistrationFindsIt()
    {
        SchemaStore store = new SchemaStore(new MemoryLog());
        store.recover(new SchemaRecord("other-value", 1, 5, WITH_DEFAULT.replace(",", " ,\n "), false));

        assertThat(store.register("other-value", WITH_DEFAULT)).isEqualTo(5);
        assertThat(store.versions("other-value")).containsExactly(1);
        assertThat(store.register("next-value", V1)).as("ids continue after the highest recovered one").isEqualTo(6);
    }

    static String record(String fields)
    {
        return "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"test\",\"fields\":[" + fields + "]}";
    }

    private static Schema parse(String text)
    {
        return new Schema.Parser().parse(text);
    }

    /** A log in memory that can be told to fail. */
    private static final class MemoryLog
            implements SchemaStore.Log
    {
        final List<RegistryRecord> records = new ArrayList<>();
        boolean failing;

        @Override
        public void append(List<RegistryRecord> appended)
        {
            if (failing) {
                throw new IllegalStateException("log unavailable");
            }
            records.addAll(appended);
        }
    }
}
