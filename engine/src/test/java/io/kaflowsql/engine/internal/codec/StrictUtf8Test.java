package io.kaflowsql.engine.internal.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class StrictUtf8Test
{
    @Test
    void acceptsEveryWellFormedLengthUpToTheLastCodePoint()
    {
        String text = "a\u00e9\u0800\uffff" + new String(Character.toChars(0x10000)) + new String(Character.toChars(0x10FFFF));

        assertThat(StrictUtf8.firstInvalid(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(StrictUtf8.firstInvalid(new byte[0])).isEqualTo(-1);
    }

    @Test
    void rejectsOverlongFormsSurrogatesAndCodePointsPastTheLast()
    {
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xC0, 0x80))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xE0, 0x80, 0x80))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xF0, 0x80, 0x80, 0x80))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xED, 0xA0, 0x80))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xF4, 0x90, 0x80, 0x80))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xF5, 0x80, 0x80, 0x80))).isEqualTo(1);
    }

    @Test
    void rejectsStrayContinuationAndTruncatedSequences()
    {
        assertThat(StrictUtf8.firstInvalid(bytes('x', 'y', 0x80))).isEqualTo(2);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xE2, 0x82))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes('x', 0xC3, 0x28))).isEqualTo(1);
        assertThat(StrictUtf8.firstInvalid(bytes(0xE2, 0x82, 'a'))).isEqualTo(0);
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes()
    {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly high bytes, so multi-byte sequences and their edge cases are frequent
                bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            assertThat(StrictUtf8.firstInvalid(bytes) < 0).as("bytes %s", java.util.Arrays.toString(bytes)).isEqualTo(jdkAccepts(bytes));
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnLongMostlyAsciiValues()
    {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(80)];
            for (int i = 0; i < bytes.length; i++) {
                // ASCII runs (the eight-byte fast path) broken now and then by a high byte anywhere in a word
                bytes[i] = (byte) (random.nextInt(24) == 0 ? 0x80 + random.nextInt(0x80) : random.nextInt(0x80));
            }
            assertThat(StrictUtf8.firstInvalid(bytes) < 0).as("bytes %s", java.util.Arrays.toString(bytes)).isEqualTo(jdkAccepts(bytes));
        }
    }

    @Test
    void pointsAtTheBadByteWhereverItIs()
    {
        for (int length = 1; length < 40; length++) {
            for (int bad = 0; bad < length; bad++) {
                byte[] bytes = new byte[length];
                java.util.Arrays.fill(bytes, (byte) 'a');
                bytes[bad] = (byte) 0xFF;

                assertThat(StrictUtf8.firstInvalid(bytes)).isEqualTo(bad);
            }
        }
    }

    private static boolean jdkAccepts(byte[] bytes)
    {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values)
    {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
