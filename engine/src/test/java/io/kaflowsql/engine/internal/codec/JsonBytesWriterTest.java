package io.kaflowsql.engine.internal.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBytesWriterTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void longsAreWrittenAsTheirDecimalDigits()
    {
        long[] values = {0, 7, -7, 10, -10, 99, 100, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long value : values) {
            assertThat(write(writer -> writer.writeLong(value))).isEqualTo(Long.toString(value));
        }
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            assertThat(write(writer -> writer.writeValue(value))).isEqualTo(Long.toString(value));
        }
    }

    @Test
    void doublesAreWrittenAsDoubleToStringWritesThem()
    {
        double[] edges = {0.0, -0.0, 0.001, -0.001, 0.0009999, 0.0015, 1.0, 100.0, 1299.99, 4.5, 0.1 + 0.2, 2450.0, 9_999_999.9999,
                9_999_999.99999, 1e7, 1e7 - 1, 123_456.78901, 1e-4, Double.MIN_VALUE, Double.MAX_VALUE, -1299.99, 1.0 / 3};
        for (double value : edges) {
            assertThat(write(writer -> writer.writeValue(value))).as("%s", value).isEqualTo(Double.toString(value));
        }
        Random random = new Random(13);
        for (int i = 0; i < 200_000; i++) {
            // decimals of 0 to 6 places (the fast path takes up to 4) over the whole plain-notation range and beyond it
            long units = random.nextLong() % 100_000_000_000L;
            double value = units / Math.pow(10, random.nextInt(7));
            assertThat(write(writer -> writer.writeValue(value))).as("%s", value).isEqualTo(Double.toString(value));
            double any = Double.longBitsToDouble(random.nextLong());
            if (!Double.isNaN(any) && !Double.isInfinite(any)) {
                assertThat(write(writer -> writer.writeValue(any))).as("%s", any).isEqualTo(Double.toString(any));
            }
        }
    }

    @Test
    void stringsReadBackAsWrittenWhateverTheirCharacters()
            throws Exception
    {
        String[] fixed = {"", "plain ascii", "quote\" and \\ backslash", "tab\tnewline\ncontrol\u0001", "caf\u00e9 \u20ac \uD83D\uDE00 emoji",
                "ascii first, then \u00e9, then ascii again", "\"", "\u007f\u0080"};
        for (String text : fixed) {
            assertThat(JSON.readValue(write(writer -> writer.writeString(text)), String.class)).as(text).isEqualTo(text);
        }
        Random random = new Random(5);
        char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff'};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int length = random.nextInt(40); length > 0; length--) {
                if (random.nextInt(20) == 0) {
                    text.append("\uD83D\uDE00");
                }
                else {
                    text.append(alphabet[random.nextInt(random.nextBoolean() ? 4 : alphabet.length)]);
                }
            }
            String expected = text.toString();
            assertThat(JSON.readValue(write(writer -> writer.writeString(expected)), String.class)).isEqualTo(expected);
        }
    }

    @Test
    void theBufferGrowsForLongValues()
            throws Exception
    {
        String text = "x".repeat(5000) + "\u00e9".repeat(3000) + "\"".repeat(2000);

        assertThat(JSON.readValue(write(writer -> writer.writeString(text)), String.class)).isEqualTo(text);
    }

    private static String write(java.util.function.Consumer<JsonBytesWriter> writes)
    {
        JsonBytesWriter writer = new JsonBytesWriter();
        writes.accept(writer);
        return new String(writer.toByteArray(), StandardCharsets.UTF_8);
    }
}
