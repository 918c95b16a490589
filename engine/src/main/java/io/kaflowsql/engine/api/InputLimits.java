package io.kaflowsql.engine.api;

/**
 * Limits on input records, checked before a record is decoded. A record over a limit is rejected
 * ({@link RejectReason#RECORD_TOO_LARGE}) rather than decoded: decoding and storing a huge value would cost
 * memory and state space out of proportion to one event.
 *
 * @param maxRecordBytes the largest record value accepted, in bytes
 */
public record InputLimits(int maxRecordBytes)
{
    /** Kafka's default {@code max.message.bytes}, about 1 MiB. */
    public static final int MAX_RECORD_BYTES_DEFAULT = 1024 * 1024;

    public static final InputLimits DEFAULTS = new InputLimits(MAX_RECORD_BYTES_DEFAULT);

    public InputLimits
    {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, got " + maxRecordBytes);
        }
    }

    /** True when a value of {@code length} bytes is over the limit. */
    public boolean tooLarge(int length)
    {
        return length > maxRecordBytes;
    }
}
