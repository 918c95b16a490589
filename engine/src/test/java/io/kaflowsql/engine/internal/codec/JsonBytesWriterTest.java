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
