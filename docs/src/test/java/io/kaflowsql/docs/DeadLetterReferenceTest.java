package io.kaflowsql.docs;

import io.kaflowsql.engine.api.RejectReason;
import io.kaflowsql.engine.internal.deadletter.DeadLetters;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter tables of docs/semantics.md against the engine, both ways: the reasons are {@link RejectReason}'s
 * labels, the headers the ones the dead-letter writer sets.
 */
class DeadLetterReferenceTest
{
    private static final String PAGE = "docs/semantics.md";
    private static final String SECTION = "Bad input never stops a pipeline";

    @Test
    void theReasonsAreTheEnginesRejectReasons()
    {
        Set<String> documented = new TreeSet<>(ReferenceTables.byCode(ReferenceTables.under(PAGE, SECTION).subList(0, 1)).keySet());
        Set<String> labels = new TreeSet<>(Arrays.stream(RejectReason.values()).map(RejectReason::label).toList());

        assertThat(documented).isEqualTo(labels);
    }

    @Test
    void theHeadersAreTheOnesADeadLetterCarries()
            throws IllegalAccessException
    {
        Set<String> documented = new TreeSet<>();
        for (var row : ReferenceTables.under(PAGE, SECTION).get(1).rows()) {
            ReferenceTables.codes(String.join(" ", row)).stream().map(code -> code.split(" ")[0]).filter(code -> code.startsWith("kaflowsql.")).forEach(documented::add);
        }
        Set<String> written = new TreeSet<>();
        for (Field field : DeadLetters.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && ((String) field.get(null)).startsWith("kaflowsql.")) {
                written.add((String) field.get(null));
            }
        }

        assertThat(documented).isEqualTo(written);
    }
}
