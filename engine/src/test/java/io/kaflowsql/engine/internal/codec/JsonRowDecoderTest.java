package io.kaflowsql.engine.internal.codec;

import io.kaflowsql.engine.internal.plan.SourcePlan;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonRowDecoderTest
{
    private final JsonRowDecoder decoder = new JsonRowDecoder(new SourcePlan(0, "t", "c", List.of("n", "x", "big", "tags"), false, null));

    @Test
    void integersAreBigintsAndOnlyNumbersWithAFractionOrBeyondTheRangeAreDoubles()
            throws RecordDecodeException
    {
        Object[] row = decoder.decode("{\"n\": 7, \"x\": 2.5, \"big\": 123456789012345678901234567890, \"tags\": [1, 2.0]}".getBytes(StandardCharsets.UTF_8));

        assertThat(row[0]).isEqualTo(7L);
        assertThat(row[1]).isEqualTo(2.5d);
        assertThat(row[2]).isEqualTo(1.2345678901234568E29d);
        assertThat(row[3]).isEqualTo(List.of(1L, 2.0d));
    }

    @Test
    void aFieldTheQueryReadsTwiceIsAnErrorOneItSkipsIsNot()
            throws RecordDecodeException
    {
        assertThatThrownBy(() -> decoder.decode(utf8("{\"n\": 1, \"x\": 2.5, \"n\": 2}")))
                .isInstanceOf(RecordDecodeException.class)
                .hasMessage("invalid JSON: duplicate field 'n'");
        assertThatThrownBy(() -> decoder.decode(utf8("{\"tags\": {\"a\": 1, \"a\": null}}")))
                .isInstanceOf(RecordDecodeException.class)
                .hasMessage("invalid JSON: duplicate field 'a'");
        assertThatThrownBy(() -> decoder.decode(utf8("{\"n\": null, \"n\": null}")))
                .hasMessage("invalid JSON: duplicate field 'n'");

        assertThat(decoder.decode(utf8("{\"skipped\": 1, \"n\": 3, \"skipped\": 2}"))[0]).isEqualTo(3L);
    }

    @Test
    void selectStarRejectsEveryDuplicateField()
    {
        JsonRowDecoder all = new JsonRowDecoder(new SourcePlan(0, "t", "c", List.of("n"), true, null));

        assertThatThrownBy(() -> all.decode(utf8("{\"other\": 1, \"n\": 3, \"other\": 2}")))
                .isInstanceOf(RecordDecodeException.class)
                .hasMessage("invalid JSON: duplicate field 'other'");
    }

    private static byte[] utf8(String json)
    {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
