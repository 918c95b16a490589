package io.kaflowsql.engine.internal.operator;

/** Serializes one result row. Not thread-safe: each task owns one. */
public interface OutputEncoder
{
    /**
     * @param frame the evaluation frame (for {@code *} items)
     * @param values one value per SELECT item, in order
     * @throws OutputEncodingException when the row cannot be written in the format (the record is
     *         dead-lettered, the task goes on)
     */
    byte[] encode(Object[][] frame, Object[] values);
}
