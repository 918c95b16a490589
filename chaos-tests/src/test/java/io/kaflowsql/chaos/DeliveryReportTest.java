package io.kaflowsql.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison the crash tests rely on: a harness that cannot see a loss or a duplicate proves nothing. */
class DeliveryReportTest
{
    private static final JsonNode A = OutputValues.parse("{\"event_id\":\"a\",\"user_id\":\"u1\",\"tags\":[\"x\",\"y\"]}");
    private static final JsonNode A_REORDERED = OutputValues.parse("{\"tags\":[\"x\",\"y\"],\"user_id\":\"u1\",\"event_id\":\"a\"}");
    private static final JsonNode A_OTHER_ENRICHMENT = OutputValues.parse("{\"event_id\":\"a\",\"user_id\":\"u1\",\"tags\":null}");
    private static final JsonNode B = OutputValues.parse("{\"event_id\":\"b\",\"user_id\":\"u2\"}");
    private static final JsonNode C = OutputValues.parse("{\"event_id\":\"c\",\"user_id\":\"u3\"}");
    private static final Map<String, JsonNode> EXPECTED = Map.of("a", A, "b", B);

    @Test
    void sameValuesInAnyFieldOrderAreExactlyOnce()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A_REORDERED), "b", List.of(B)), 2, List.of());

        assertThat(report.exactlyOnce()).isTrue();
        assertThat(report.atLeastOnce()).isTrue();
    }

    @Test
    void missingEventIsLost()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A)), 1, List.of());

        assertThat(report.lost()).containsExactly("b");
        assertThat(report.atLeastOnce()).isFalse();
        assertThat(report.describe(EXPECTED)).contains("1 lost", "lost: b");
    }

    @Test
    void repeatedEventIsCountedAsDuplicateButStillAtLeastOnce()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A, A, A), "b", List.of(B)), 4, List.of());

        assertThat(report.duplicated()).containsExactly(Map.entry("a", 3));
        assertThat(report.duplicateCopies()).isEqualTo(2);
        assertThat(report.exactlyOnce()).isFalse();
        assertThat(report.atLeastOnce()).isTrue();
    }

    @Test
    void differentEnrichmentIsMismatchEvenInADuplicate()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A, A_OTHER_ENRICHMENT), "b", List.of(B)), 3, List.of());

        assertThat(report.mismatched()).containsOnlyKeys("a");
        assertThat(report.atLeastOnce()).isFalse();
        assertThat(report.describe(EXPECTED)).contains("mismatched a", "\"tags\":null");
    }

    @Test
    void eventTheCrashFreeRunDoesNotEmitIsUnexpected()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A), "b", List.of(B), "c", List.of(C)), 3, List.of());

        assertThat(report.unexpected()).containsExactly("c");
        assertThat(report.atLeastOnce()).isFalse();
    }

    @Test
    void unreadableValueFailsTheRun()
    {
        DeliveryReport report = DeliveryReport.compare(EXPECTED, Map.of("a", List.of(A), "b", List.of(B)), 3, List.of("not json"));

        assertThat(report.atLeastOnce()).isFalse();
    }
}
