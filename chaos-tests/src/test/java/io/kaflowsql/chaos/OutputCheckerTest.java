package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kaflowsql.engine.api.OutputFormat;
import io.kaflowsql.engine.api.PipelineLoader;
import io.kaflowsql.pipelines.personalization.GeneratedRecord;
import io.kaflowsql.pipelines.personalization.PersonalizationTopics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos checker against the engine's own answer: the pipeline run in-process by the engine's test driver over
 * traffic whose rows change along the way must be judged correct in every value by the hand-written seed query, and a
 * checker that cannot see a loss, a duplicate, a wrong enrichment or a value from a row version that did not exist yet
 * proves nothing, so each is planted once.
 */
class OutputCheckerTest
{
    private static final long SEEN = 1_000_000_000L;
    private static final TransactionAudit.Result CLEAN_AUDIT = new TransactionAudit.Result(1, 0, 0, 0, 1, List.of());

    private static ChaosTraffic traffic;
    private static InputTruth truth;
    private static List<JsonNode> engineOutputs;

    @BeforeAll
    static void runTheEngineOverChangingRows(@TempDir Path dir)
    {
        traffic = ChaosTraffic.generate(7, 1_500, 0.2);
        Map<InputTruth.Written, Long> acked = new HashMap<>();
        for (int i = 0; i < traffic.live().size(); i++) {
            GeneratedRecord record = traffic.live().get(i);
            acked.putIfAbsent(new InputTruth.Written(record.topic(), record.key(), record.json()), i + 1L);
        }
        truth = InputTruth.of(traffic.initialRows(), traffic.live(), acked);
        Map<String, JsonNode> expected = ExpectedEnrichment.compute(
                new PipelineLoader().load(CrashScenario.SEED_PIPELINE, definition -> definition.withOutputFormat(OutputFormat.JSON)),
                traffic, dir);
        engineOutputs = List.copyOf(expected.values());
    }

    @Test
    void everyValueTheEngineComputesIsJudgedCorrectIncludingChangedRows()
    {
        ChaosReport report = check(seen(engineOutputs));

        assertThat(report.wrong()).isEmpty();
        assertThat(report.exactlyOnce()).as(report.describe()).isTrue();
        assertThat(report.expected()).isEqualTo(engineOutputs.size());
        assertThat(report.updatedVersionsUsed()).as("some clicks came after a row changed").isPositive();
    }

    @Test
    void missingOutputIsLostAndRepeatedOneIsDuplicated()
    {
        List<JsonNode> outputs = new ArrayList<>(engineOutputs);
        JsonNode dropped = outputs.remove(3);
        outputs.add(outputs.get(10));

        ChaosReport report = check(seen(outputs));

        assertThat(report.lost()).containsExactly(OutputValues.eventId(dropped));
        assertThat(report.duplicated()).containsOnlyKeys(OutputValues.eventId(outputs.get(10)));
        assertThat(report.exactlyOnce()).isFalse();
        assertThat(report.describe()).contains("lost 1", "duplicated 1 event ids (1 extra copies)");
    }

    @Test
    void duplicateIsAllowedAtLeastOnceButLossIsNot()
    {
        List<JsonNode> outputs = new ArrayList<>(engineOutputs);
        outputs.add(outputs.get(0));

        ChaosReport report = OutputChecker.check(false, truth, seen(outputs), CLEAN_AUDIT, new Timeline(), SEEN);

        assertThat(report.passed()).isTrue();
        assertThat(report.duplicateCopies()).isEqualTo(1);
    }

    @Test
    void userColumnsFromNoVersionThatExistedAreWrong()
    {
        List<JsonNode> outputs = new ArrayList<>(engineOutputs);
        ObjectNode tampered = outputs.get(5).deepCopy();
        tampered.put("user_lifetime_value", 123456.78);
        outputs.set(5, tampered);

        ChaosReport report = check(seen(outputs));

        assertThat(report.wrong()).containsOnlyKeys(OutputValues.eventId(tampered));
        assertThat(report.wrong().values().iterator().next()).contains("user_profiles columns match none");
    }

    @Test
    void caseColumnThatDoesNotFollowFromTheJoinedColumnsIsWrong()
    {
        List<JsonNode> outputs = new ArrayList<>(engineOutputs);
        ObjectNode tampered = outputs.get(7).deepCopy();
        tampered.put("category_affinity", tampered.get("category_affinity").doubleValue() == 0.3 ? 0.9 : 0.3);
        outputs.set(7, tampered);

        ChaosReport report = check(seen(outputs));

        assertThat(report.wrong()).containsOnlyKeys(OutputValues.eventId(tampered));
        assertThat(report.wrong().values().iterator().next()).contains("category_affinity");
    }

    @Test
    void historyMissingForAUserWhoHadOneFromTheStartIsWrong()
    {
        List<JsonNode> outputs = new ArrayList<>(engineOutputs);
        int index = indexOf(outputs, output -> !output.get("purchase_frequency").isNull()
                && !truth.mayBeMissing(PersonalizationTopics.PURCHASE_HISTORY, output.get("user_id").asText()));
        ObjectNode tampered = outputs.get(index).deepCopy();
        SeedEnrichment.HISTORY_COLUMNS.keySet().forEach(tampered::putNull);
        outputs.set(index, tampered);

        ChaosReport report = check(seen(outputs));

        assertThat(report.wrong()).containsOnlyKeys(OutputValues.eventId(tampered));
        assertThat(report.wrong().values().iterator().next()).contains("all NULL", "had a row from the start");
    }

    @Test
    void rowVersionWrittenAfterTheOutputWasReadCannotHaveBeenUsed()
    {
        List<OutputRecorder.Seen> outputs = seen(engineOutputs);
        int index = indexOf(engineOutputs, output -> OutputChecker.judge(seen(output, SEEN), click(output), truth).updatedVersionUsed());
        OutputRecorder.Seen early = outputs.get(index);
        outputs.set(index, new OutputRecorder.Seen(early.partition(), early.offset(), early.key(), early.value(), early.eventId(), 0));

        ChaosReport report = check(outputs);

        assertThat(report.wrong()).containsOnlyKeys(early.eventId());
        assertThat(report.wrong().values().iterator().next()).contains("written after this output was read");
    }

    @Test
    void outputOfAClickWhereDropsIsUnexpected()
    {
        GeneratedRecord dropped = traffic.live().stream()
                .filter(record -> record.topic().equals(PersonalizationTopics.CLICKSTREAMS) && !SeedEnrichment.passesWhere(OutputValues.parse(record.json())))
                .findFirst().orElseThrow();
        ObjectNode fake = engineOutputs.get(0).deepCopy();
        fake.put("event_id", OutputValues.eventId(OutputValues.parse(dropped.json())));
        List<OutputRecorder.Seen> outputs = seen(engineOutputs);
        outputs.add(seen(fake, SEEN));

        ChaosReport report = check(outputs);

        assertThat(report.unexpected()).containsOnlyKeys(fake.get("event_id").asText());
        assertThat(report.passed()).isFalse();
    }

    @Test
    void auditProblemFailsTheRun()
    {
        TransactionAudit.Result audit = new TransactionAudit.Result(1, 0, 0, 0, 2, List.of("p-0: two writers"));

        ChaosReport report = OutputChecker.check(true, truth, seen(engineOutputs), audit, new Timeline(), SEEN);

        assertThat(report.passed()).isFalse();
        assertThat(report.describe()).contains("audit: p-0: two writers");
    }

    private static ChaosReport check(List<OutputRecorder.Seen> outputs)
    {
        return OutputChecker.check(true, truth, outputs, CLEAN_AUDIT, new Timeline(), SEEN);
    }

    private static List<OutputRecorder.Seen> seen(List<JsonNode> outputs)
    {
        List<OutputRecorder.Seen> seen = new ArrayList<>();
        outputs.forEach(output -> seen.add(seen(output, SEEN)));
        return seen;
    }

    private static OutputRecorder.Seen seen(JsonNode output, long at)
    {
        return new OutputRecorder.Seen(0, 0, output.get("user_id").asText(), output.toString(), OutputValues.eventId(output), at);
    }

    private static JsonNode click(JsonNode output)
    {
        return OutputValues.parse(truth.clicks().get(OutputValues.eventId(output)).value());
    }

    private static int indexOf(List<JsonNode> outputs, java.util.function.Predicate<JsonNode> condition)
    {
        for (int i = 0; i < outputs.size(); i++) {
            if (condition.test(outputs.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no output fits");
    }
}
