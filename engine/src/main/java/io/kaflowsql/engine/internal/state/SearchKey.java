package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

/**
 * A join value prepared for probing a {@link CompactDimensionTable}: its 64-bit hash over the UTF-8
 * bytes (so stored keys can be rehashed from the arena without decoding) and, for non-ASCII values
 * only, the bytes themselves (ASCII values compare char-by-byte without encoding).
 */
record SearchKey(String value, byte[] utf8, long hash)
{
    static SearchKey of(String value)
    {
        long hash = RecordLayout.HASH_SEED;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = new byte[RowCodec.utf8Length(value)];
                RowCodec.writeUtf8(value, utf8, 0);
                return new SearchKey(value, utf8, RecordLayout.hash(utf8, 0, utf8.length));
            }
            hash = RecordLayout.hashStep(hash, c);
        }
        return new SearchKey(value, null, RecordLayout.finish(hash));
    }
}
