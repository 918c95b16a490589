package io.kaflowsql.engine.internal.state;

import io.kaflowsql.engine.internal.codec.RowCodec;

/**
 * Assembles one record of the {@link RecordLayout} ({@code [key][owner or 0][row]}) in reusable
 * buffers: the arena records of {@link CompactDimensionTable} and the rows of a dimension snapshot.
 *
 * <p>Not thread-safe: one per writer thread.
 */
final class RecordEncoder
{
    private final RowCodec.Output row = new RowCodec.Output(256);
    private final RowCodec.Output record = new RowCodec.Output(256);

    /** Encodes the record into the internal buffer; read it through {@link #buffer()} and {@link #length()}. */
    void encode(String joinValue, String explicitOwner, Object[] values)
    {
        row.reset();
        RowCodec.encodeTo(values, row);
        record.reset();
        writeString(joinValue, 0);
        if (explicitOwner == null) {
            record.writeVarint(0);
        }
        else {
            writeString(explicitOwner, 1);
        }
        record.writeVarint(row.position());
        record.writeBytes(row.buffer(), 0, row.position());
    }

    byte[] buffer()
    {
        return record.buffer();
    }

    int length()
    {
        return record.position();
    }

    private void writeString(String value, int lengthBias)
    {
        int length = RowCodec.utf8Length(value);
        record.writeVarint(length + lengthBias);
        byte[] bytes = new byte[length];
        RowCodec.writeUtf8(value, bytes, 0);
        record.writeBytes(bytes, 0, length);
    }
}
