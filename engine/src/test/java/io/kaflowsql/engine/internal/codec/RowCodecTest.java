package io.kaflowsql.engine.internal.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowCodecTest
{
    @Test
    void roundTripsEveryScalarTypeAndNull()
    {
        Object[] row = {null, "user_1234567", 0L, -1L, 42L, Long.MIN_VALUE, Long.MAX_VALUE, 1.5d, -0.0d,
                Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, true, false, ""};
        assertRoundTrip(row);
    }

    @Test
    void keepsNegativeZeroAndNanPayloadBitExact()
    {
        double oddNan = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);
        Object[] decoded = RowCodec.decode(RowCodec.encode(new Object[] {-0.0d, oddNan}));
        assertThat(Double.doubleToRawLongBits((Double) decoded[0])).isEqualTo(Double.doubleToRawLongBits(-0.0d));
        assertThat(Double.doubleToRawLongBits((Double) decoded[1])).isEqualTo(0x7ff8_0000_0000_1234L);
    }

    @Test
    void roundTripsUnicodeIncludingSupplementaryAndUnpairedSurrogates()
    {
        assertRoundTrip(new Object[] {"héllo", "日本語", "emoji \uD83D\uDE00 ok", "lone \uD800 high", "lone \uDC00 low",
                "\uDBFF\uDFFF", "\u0000nul", "\u07FF\u0800\uFFFF"});
    }

    @Test
    void roundTripsNestedListsAndMapsKeepingMapOrder()
    {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", List.of("x", "y"));
        inner.put("m", null);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", new ArrayList<>(Arrays.asList(null, 2.5d, true)));
        outer.put("ключ", new LinkedHashMap<>());
        Object[] row = {outer, List.of(), List.of(List.of(List.of(1L)))};

        Object[] decoded = RowCodec.decode(RowCodec.encode(row));

        assertThat(decoded).containsExactly(row);
        @SuppressWarnings("unchecked")
        Map<String, Object> decodedOuter = (Map<String, Object>) decoded[0];
        assertThat(decodedOuter).isInstanceOf(LinkedHashMap.class);
        assertThat(decodedOuter.keySet()).containsExactly("b", "a", "ключ");
        @SuppressWarnings("unchecked")
        Map<String, Object> decodedInner = (Map<String, Object>) decodedOuter.get("b");
        assertThat(decodedInner.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void roundTripsEmptyRow()
    {
        assertThat(RowCodec.encode(new Object[0])).hasSize(1);
        assertThat(RowCodec.decode(RowCodec.encode(new Object[0]))).isEmpty();
    }

    @Test
    void encodesProfileRowCompactly()
    {
        Object[] row = {"user_1234567", "premium", "25-34", "US-CA", List.of("sports", "tech", "music"), 17L, 1234.56d};
        byte[] bytes = RowCodec.encode(row);
        assertThat(bytes.length).isLessThanOrEqualTo(80);
        assertRoundTrip(row);
    }

    @Test
    void decodesFromTheMiddleOfALargerArray()
    {
        RowCodec.Output out = new RowCodec.Output(4);
        out.writeByte(99);
        RowCodec.encodeTo(new Object[] {"a", 1L}, out);
        int end = out.position();
        RowCodec.encodeTo(new Object[] {"b"}, out);
        assertThat(RowCodec.decode(out.buffer(), 1, end - 1)).containsExactly("a", 1L);
        assertThat(RowCodec.decode(out.buffer(), end, out.position() - end)).containsExactly("b");
    }

    @Test
    void rejectsUnsupportedTypes()
    {
        assertThatThrownBy(() -> RowCodec.encode(new Object[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        assertThatThrownBy(() -> RowCodec.encode(new Object[] {Map.of(1L, "x")}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map key");
    }

    @Test
    void rejectsTruncatedAndCorruptInput()
    {
        byte[] bytes = RowCodec.encode(new Object[] {"hello", List.of(1L, 2L), 3.0d});
        for (int length = 0; length < bytes.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> RowCodec.decode(bytes, 0, cut)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RowCodec.decode(new byte[] {1, 99})).isInstanceOf(IllegalArgumentException.class);
        // a huge element count must fail fast instead of allocating
        assertThatThrownBy(() -> RowCodec.decode(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomRowsRoundTrip()
    {
        Random random = new Random(20261124L);
        for (int i = 0; i < 20_000; i++) {
            int width = random.nextInt(12);
            Object[] row = new Object[width];
            for (int j = 0; j < width; j++) {
                row[j] = randomValue(random, 0);
            }
            assertRoundTrip(row);
        }
    }

    @Test
    void utf8HelpersAgreeWithJdkForWellFormedStrings()
    {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String s = randomString(random);
            byte[] bytes = new byte[RowCodec.utf8Length(s)];
            assertThat(RowCodec.writeUtf8(s, bytes, 0)).isEqualTo(bytes.length);
            assertThat(RowCodec.readUtf8(bytes, 0, bytes.length)).isEqualTo(s);
            if (isWellFormed(s)) {
                assertThat(bytes).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static void assertRoundTrip(Object[] row)
    {
        byte[] bytes = RowCodec.encode(row);
        Object[] decoded = RowCodec.decode(bytes);
        assertThat(decoded).hasSameSizeAs(row);
        for (int i = 0; i < row.length; i++) {
            assertDeepEquals(decoded[i], row[i]);
        }
    }

    private static void assertDeepEquals(Object actual, Object expected)
    {
        if (expected instanceof Double d) {
            assertThat(actual).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) actual)).isEqualTo(Double.doubleToRawLongBits(d));
        }
        else if (expected instanceof List<?> list) {
            assertThat(actual).isInstanceOf(List.class);
            List<?> actualList = (List<?>) actual;
            assertThat(actualList).hasSameSizeAs(list);
            for (int i = 0; i < list.size(); i++) {
                assertDeepEquals(actualList.get(i), list.get(i));
            }
        }
        else if (expected instanceof Map<?, ?> map) {
            assertThat(actual).isInstanceOf(LinkedHashMap.class);
            Map<?, ?> actualMap = (Map<?, ?>) actual;
            assertThat(List.copyOf(actualMap.keySet())).isEqualTo(List.copyOf(map.keySet()));
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                assertDeepEquals(actualMap.get(entry.getKey()), entry.getValue());
            }
        }
        else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static Object randomValue(Random random, int depth)
    {
        int kind = random.nextInt(depth < 3 ? 9 : 7);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return randomString(random);
            case 2:
                return switch (random.nextInt(4)) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    case 2 -> (long) random.nextInt(300) - 150;
                    default -> random.nextLong();
                };
            case 3:
                return switch (random.nextInt(4)) {
                    case 0 -> Double.NaN;
                    case 1 -> -0.0d;
                    case 2 -> Double.longBitsToDouble(random.nextLong());
                    default -> random.nextGaussian() * 1e6;
                };
            case 4:
                return random.nextBoolean();
            case 5:
                return "";
            case 6:
                return "ascii_" + random.nextInt(1_000_000);
            case 7: {
                List<Object> list = new ArrayList<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                return map;
            }
        }
    }

    private static String randomString(Random random)
    {
        int length = random.nextInt(20);
        StringBuilder builder = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> builder.append((char) random.nextInt(0x80));
                case 1 -> builder.append((char) (0x80 + random.nextInt(0x780)));
                case 2 -> builder.append((char) random.nextInt(0x10000)); // may be an unpaired surrogate
                case 3 -> builder.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> builder.append((char) ('a' + random.nextInt(26)));
            }
        }
        return builder.toString();
    }

    private static boolean isWellFormed(String s)
    {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
            else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
