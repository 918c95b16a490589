package io.kaflowsql.engine.internal.expr;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86_32 (Austin Appleby's public-domain algorithm), written out here so that
 * {@code HASH(x)} is identical across runs, JVMs, machines and library upgrades: A/B test groups and
 * partitioning derived from it must never move. Stateless and thread-safe.
 */
public final class MurmurHash3
{
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private MurmurHash3() {}

    /** Hash of the UTF-8 bytes of a string. */
    public static int hash32(String text, int seed)
    {
        return hash32(text.getBytes(StandardCharsets.UTF_8), seed);
    }

    public static int hash32(byte[] data, int seed)
    {
        int length = data.length;
        int h1 = seed;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int offset = i * 4;
            int k1 = (data[offset] & 0xff)
                    | (data[offset + 1] & 0xff) << 8
                    | (data[offset + 2] & 0xff) << 16
                    | (data[offset + 3] & 0xff) << 24;
            h1 ^= mixK1(k1);
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int remaining = length & 3;
        if (remaining > 0) {
            int k1 = 0;
            if (remaining == 3) {
                k1 ^= (data[tail + 2] & 0xff) << 16;
            }
            if (remaining >= 2) {
                k1 ^= (data[tail + 1] & 0xff) << 8;
            }
            k1 ^= data[tail] & 0xff;
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        return fmix(h1);
    }

    private static int mixK1(int k1)
    {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        return k1 * C2;
    }

    private static int fmix(int h)
    {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
