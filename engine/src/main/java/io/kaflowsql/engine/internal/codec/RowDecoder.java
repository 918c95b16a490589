package io.kaflowsql.engine.internal.codec;

/**
 * Turns a record value into the column slots of one source: {@code row[slot]} for every column the
 * query reads, plus the map of all fields in the last slot when the source keeps all columns.
 * Values use the engine's model: null, String, Long, Double, Boolean, List, Map with String keys.
 */
public interface RowDecoder
{
    /** @throws RecordDecodeException when the bytes are not a record of this source (goes to the dead letters) */
    Object[] decode(byte[] value)
            throws RecordDecodeException;
}
