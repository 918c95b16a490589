package io.kaflowsql.engine.internal.expr;

import com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins HASH to published MurmurHash3 x86_32 vectors: A/B groups derived from it must never move. */
class MurmurHash3Test
{
    @Test
    void matchesPublishedVectorsWithSeedZero()
    {
        assertThat(MurmurHash3.hash32("hello", 0)).isEqualTo(0x248bfa47).isEqualTo(613153351);
        assertThat(MurmurHash3.hash32("", 0)).isZero();
        assertThat(MurmurHash3.hash32("abc", 0)).isEqualTo(0xb3dd93fa);
        assertThat(MurmurHash3.hash32(new byte[] {0, 0, 0, 0}, 0)).isEqualTo(0x2362f9de);
    }

    @Test
    void matchesPublishedVectorsWithOtherSeeds()
    {
        assertThat(MurmurHash3.hash32("", 1)).isEqualTo(0x514e28b7);
        assertThat(MurmurHash3.hash32("", 0xffffffff)).isEqualTo(0x81f16f39);
        assertThat(MurmurHash3.hash32("aaaa", 0x9747b28c)).isEqualTo(0x5a97808a);
        assertThat(MurmurHash3.hash32("Hello, world!", 0x9747b28c)).isEqualTo(0x24884cba);
        assertThat(MurmurHash3.hash32("The quick brown fox jumps over the lazy dog", 0x9747b28c)).isEqualTo(0x2fa826cd);
    }

    @Test
    void hashesEveryTailLength()
    {
        // one, two and three trailing bytes after a full block take different paths
        assertThat(MurmurHash3.hash32("a", 0x9747b28c)).isEqualTo(0x7fa09ea6);
        assertThat(MurmurHash3.hash32("ab", 0x9747b28c)).isEqualTo(0x74875592);
        assertThat(MurmurHash3.hash32("abc", 0x9747b28c)).isEqualTo(0xc84a62dd);
        assertThat(MurmurHash3.hash32("abcd", 0x9747b28c)).isEqualTo(0xf0478627);
    }

    @Test
    void hashesUtf8BytesOfNonAsciiText()
    {
        assertThat(MurmurHash3.hash32("héllo", 0)).isEqualTo(MurmurHash3.hash32("héllo".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(MurmurHash3.hash32("héllo", 0)).isNotEqualTo(MurmurHash3.hash32("héllo".getBytes(StandardCharsets.ISO_8859_1), 0));
    }

    @Test
    void agreesWithIndependentImplementationOnRandomInput()
    {
        // Guava (on the test classpath through Calcite) is an independent implementation of the same algorithm
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            assertThat(MurmurHash3.hash32(data, 0)).isEqualTo(Hashing.murmur3_32_fixed().hashBytes(data).asInt());
        }
    }
}
